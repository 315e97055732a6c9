/* Fault injection for the disk-full test: preloaded ahead of libcontend.so,
 * it lets CONTEND_TEST_FS_BYTES bytes reach files whose name contains
 * "trace.bin" and fails every later write to them with ENOSPC (the write
 * that crosses the budget is cut short), as a full file system does. Other
 * descriptors are untouched. Each refused write is counted in the file
 * CONTEND_TEST_FS_REPORT, if set: a writer should give up after the first. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long long g_left = -1;
static int g_refused;

static int is_trace(int fd) {
  char link[64], path[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return 0;
  path[n] = '\0';
  return strstr(path, "trace.bin") != NULL;
}

ssize_t write(int fd, const void* buf, size_t count) {
  static ssize_t (*real_write)(int, const void*, size_t);
  if (real_write == NULL) real_write = (ssize_t(*)(int, const void*, size_t))dlsym(RTLD_NEXT, "write");
  if (g_left < 0) {
    const char* budget = getenv("CONTEND_TEST_FS_BYTES");
    g_left = budget != NULL ? atoll(budget) : (1LL << 62);
  }
  if (!is_trace(fd)) return real_write(fd, buf, count);
  if (g_left == 0) {
    const char* report = getenv("CONTEND_TEST_FS_REPORT");
    ++g_refused;
    if (report != NULL) {
      FILE* f = fopen(report, "w");
      if (f != NULL) {
        fprintf(f, "%d\n", g_refused);
        fclose(f);
      }
    }
    errno = ENOSPC;
    return -1;
  }
  if ((long long)count > g_left) count = (size_t)g_left;
  ssize_t n = real_write(fd, buf, count);
  if (n > 0) g_left -= n;
  return n;
}
