// A library whose imports a unit test replaces (core_walker_pipe_test.cpp):
// its call to getppid goes through its own slot, which the loader fills.
#include <unistd.h>

__attribute__((visibility("default"))) int imports_probe_getppid(void) {
  return (int)getppid();
}
