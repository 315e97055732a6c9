/* Linked at a fixed address (not position-independent), with a system call
 * instruction of its own, as Go's runtime makes its signal calls: the futex
 * trap cannot watch such code, so CONTEND_FUTEX=all refuses, with one
 * warning, and the hooked functions are still recorded. */
#include <stdio.h>
#include <sys/syscall.h>

int main(void) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"((long)SYS_getppid) : "rcx", "r11", "memory");
  printf("own system call answered: %d\n", ret > 0);
  return 0;
}
