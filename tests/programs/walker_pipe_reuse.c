// Closes the stack walker's pipe by ways an interposer cannot see, reuses
// the numbers for files of its own, and contends again from code without
// unwind tables (walker_pipe_nocfi.c), where libunwind checks addresses
// through that pipe. The files must hold what the program wrote: nothing
// read from the input, nothing written into the output.
//
// argv[1]: "__close" (glibc's alias), "syscall" (a raw syscall instruction,
// as runtimes without libc do), "fclose" (fdopen then fclose: glibc closes
// internally), "deepbind" (a plugin opened with RTLD_DEEPBIND, whose close
// binds to libc's own); argv[2]: a directory for the two files; argv[3]:
// the plugin (deepbind only).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "walker_pipe_contend.h"

extern int __close(int);

static void raw_close(int fd) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(SYS_close), "D"(fd) : "rcx", "r11", "memory");
  (void)ret;
}

// Every non-blocking pipe below 64 (the walker's, when profiled).
static void close_walker_pipe(const char* how, const char* plugin) {
  void (*plugin_close)(int) = NULL;
  if (strcmp(how, "deepbind") == 0) {
    void* handle = dlopen(plugin, RTLD_NOW | RTLD_DEEPBIND);
    if (handle != NULL) plugin_close = (void (*)(int))dlsym(handle, "plugin_close");
    if (plugin_close == NULL) {
      fprintf(stderr, "cannot load %s\n", plugin);
      return;
    }
  }
  for (int fd = 3; fd < 1024; ++fd) {
    char path[64], target[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, target, sizeof(target) - 1);
    if (n <= 0) continue;
    target[n] = '\0';
    int flags = fcntl(fd, F_GETFL);
    if (strncmp(target, "pipe:", 5) != 0 || (flags & O_NONBLOCK) == 0) continue;
    if (strcmp(how, "__close") == 0) {
      __close(fd);
    } else if (strcmp(how, "syscall") == 0) {
      raw_close(fd);
    } else if (strcmp(how, "fclose") == 0) {
      fclose(fdopen(fd, (flags & O_ACCMODE) == O_WRONLY ? "w" : "r"));
    } else if (plugin_close != NULL) {
      plugin_close(fd);
    }
  }
}

// Started with 0, 1 and 2 closed: its writes there fail as they do without
// the profiler, and the numbers it opens next are the same.
static int std_closed(const char* dir) {
  contend();
  static char big[100000];
  ssize_t w1 = write(1, "program output\n", 15);
  int e1 = errno;
  ssize_t w2 = write(2, big, sizeof(big));
  int e2 = errno;
  char path[4096];
  snprintf(path, sizeof(path), "%s/std_closed.txt", dir);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  dprintf(fd, "write(1) %zd errno %d, write(2) %zd errno %d, opened %d\n", w1, e1, w2, e2, fd);
  return 0;
}

// A sandbox whose filter kills the process on a system call it did not
// expect (here process_vm_readv), installed before threads that walk: the
// walker must check addresses only with what it would use without us.
static int sandboxed(void) {
  struct sock_filter code[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_process_vm_readv, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof(code) / sizeof(code[0]), code};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
    return 2;
  contend();
  printf("sandboxed: counter %ld\n", g_walker_counter);
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  if (strcmp(argv[1], "sandboxed") == 0) return sandboxed();
  if (strcmp(argv[1], "stdclosed") == 0) return std_closed(argv[2]);
  contend();  // the walker's pipe exists now, when profiled
  close_walker_pipe(argv[1], argc > 3 ? argv[3] : "");
  char in_path[4096], out_path[4096];
  snprintf(in_path, sizeof(in_path), "%s/walker_in.txt", argv[2]);
  snprintf(out_path, sizeof(out_path), "%s/walker_out.txt", argv[2]);
  int in = open(in_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (in < 0 || write(in, "hello world\n", 12) != 12 || lseek(in, 0, SEEK_SET) != 0) return 2;
  int out = open(out_path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (out < 0) return 2;
  contend();
  struct stat st;
  fstat(out, &st);
  char buf[64] = {0};
  ssize_t n = read(in, buf, sizeof(buf) - 1);
  printf("output file %lld bytes, input read %zd bytes, counter %ld\n", (long long)st.st_size, n,
         g_walker_counter);
  return 0;
}
