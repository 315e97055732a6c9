// A system call issued from our own text, with all six argument registers,
// returning what the kernel returned (-errno on failure, errno untouched).
//
// The futex trap (futex_trap.h) traps system calls by the address of their
// `syscall` instruction; the ones it re-issues on the program's behalf must
// come from an address it does not trap: this one, inlined into our code.
#pragma once

namespace contend::preload {

[[gnu::always_inline]] inline long raw_syscall6(long number, long a1, long a2, long a3, long a4, long a5,
                                                long a6) {
  long ret;
  register long r10 __asm__("r10") = a4;
  register long r8 __asm__("r8") = a5;
  register long r9 __asm__("r9") = a6;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(number), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}

inline long raw_syscall(long number, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0) {
  return raw_syscall6(number, a1, a2, a3, a4, 0, 0);
}

}  // namespace contend::preload
