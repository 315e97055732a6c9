// A program that closes every descriptor it did not open (as daemons and
// process spawners do), then opens a pipe of its own with data in it, and
// lets four threads wait for a mutex once each. The pipe must hold what the
// program wrote, and the numbers open() gives must be the lowest free ones.
// argv[1] "loop": close(3..1023) instead of closefrom(3); "syscall":
// syscall(SYS_close_range, 3, ~0U, 0); "dup2": /dev/null dup2'ed onto
// 3..63 instead of closing them.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void* waiter(void* arg) {
  pthread_mutex_lock(&lock);
  pthread_mutex_unlock(&lock);
  return arg;
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "loop") == 0) {
    for (int fd = 3; fd < 1024; ++fd) close(fd);
  } else if (argc > 1 && strcmp(argv[1], "syscall") == 0) {
    syscall(SYS_close_range, 3, ~0U, 0);
  } else if (argc > 1 && strcmp(argv[1], "dup2") == 0) {
    int null_fd = open("/dev/null", O_RDONLY);
    for (int fd = 3; fd < 64; ++fd)
      if (fd != null_fd) dup2(null_fd, fd);
    closefrom(64);  // 3..63 stay open, on /dev/null
  } else {
    closefrom(3);
  }
  int null_fd = open("/dev/null", O_RDONLY);
  int p[2];
  if (pipe(p) != 0) return 2;
  if (write(p[1], "hello", 5) != 5) return 2;
  // Every waiter waits: the lock is held until all of them are blocked.
  pthread_mutex_lock(&lock);
  pthread_t threads[4];
  for (int i = 0; i < 4; ++i) pthread_create(&threads[i], NULL, waiter, NULL);
  usleep(200 * 1000);
  pthread_mutex_unlock(&lock);
  for (int i = 0; i < 4; ++i) pthread_join(threads[i], NULL);
  close(p[1]);
  char buf[64];
  ssize_t n = read(p[0], buf, sizeof(buf));
  int next_fd = open("/dev/null", O_RDONLY);
  printf("descriptors %d %d %d %d\n", null_fd, p[0], p[1], next_fd);
  printf("pipe holds %zd bytes:", n);
  for (ssize_t i = 0; i < n; ++i) printf(" %02x", (unsigned char)buf[i]);
  printf("\n");
  return 0;
}
