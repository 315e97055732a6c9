// Opened with RTLD_DEEPBIND by walker_pipe_reuse.c: its close binds to
// libc's own, past any interposer.
#include <unistd.h>

void plugin_close(int fd) {
  close(fd);
}
