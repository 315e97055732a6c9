// A program with a libunwind of its own (linked): the profiler's walks use
// that same copy and make its pipe at start-up, where the program, whose
// first walk comes after it closed every descriptor it did not open and
// filled the numbers with its files, would make it later. Its own walk from
// a frame without unwind tables must then leave its files alone.
//
//   walker_pipe_own DIR    prints what its walk found and its files' state
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "walker_pipe_contend.h"

int unw_backtrace(void** frames, int max);

static void* own_walk(void* unused) {  // a new thread: libunwind checks addresses afresh
  (void)unused;
  void* frames[32];
  return (void*)(long)nocfi_backtrace(unw_backtrace, frames, 32);
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  contend();
  for (int fd = 3; fd < 1024; ++fd) syscall(SYS_close, fd);
  int files[8];
  for (int i = 0; i < 8; ++i) {
    char path[4096];
    snprintf(path, sizeof(path), "%s/own_%d.txt", argv[1], i);
    files[i] = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (files[i] < 0 || write(files[i], "hello world\n", 12) != 12 || lseek(files[i], 0, SEEK_SET) != 0)
      return 2;
  }
  pthread_t t;
  void* frames;
  pthread_create(&t, NULL, own_walk, NULL);
  pthread_join(t, &frames);
  contend();
  int touched = 0;
  for (int i = 0; i < 8; ++i) {
    struct stat st;
    fstat(files[i], &st);
    if (st.st_size != 12 || lseek(files[i], 0, SEEK_CUR) != 0) ++touched;
  }
  printf("own walk %s, %d of 8 files touched, counter %ld\n",
         (long)frames > 2 ? "found its callers" : "stopped short", touched, g_walker_counter);
  return 0;
}
