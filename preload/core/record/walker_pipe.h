// libunwind's descriptors, kept apart from the program's.
//
// libunwind checks an address it is unsure of (a frame without unwind
// tables, a thread's first walk) by writing one byte from it into a pipe it
// opens once per process, after reading one byte back; when that read fails
// it closes both numbers and opens a new pipe. The numbers are ordinary
// descriptors: a program that closes every descriptor it did not open
// (closefrom, a close loop, glibc's __close, a raw system call, as daemons
// and spawners do) and then opens its own files gets them, and the next
// check reads a byte from the program's file and writes a byte of memory
// into another one (or blocks on the program's empty pipe).
//
// Our private copy of libunwind gets its pipe2, read, write and syscall
// through us (record/library_imports.h): the pipe is noted when libunwind
// makes it, and once its numbers name something else, a read of them says
// "nothing to read" and a write fails, so libunwind takes the address for
// unreadable and ends that walk there, without touching the program's file
// or closing its descriptors. A walk costs nothing extra: only libunwind's
// checks of an address, rare after a thread's first walk (it remembers the
// pages it checked), pay one fstat each.
//
// When the program has loaded libunwind itself, its copy is shared and left
// as it is: the pipe's numbers are guessed at the first walk, and checked
// (two fstat calls) before every walk, which stops for good once they name
// something else.
#pragma once

#include <sys/types.h>

namespace contend::preload {

// Routes the private libunwind's pipe2, read, write and syscall through the
// checks below. False when none of its imports could be replaced.
bool guard_walker_pipe(void* unwinder_handle);
bool walker_pipe_guarded();

// What libunwind calls once guarded (exposed for tests).
int guarded_pipe2(int fds[2], int flags);
ssize_t guarded_read(int fd, void* buffer, size_t size);
ssize_t guarded_write(int fd, const void* buffer, size_t size);
long guarded_syscall(long number, ...);

// Unguarded (shared libunwind): the two lowest free descriptor numbers,
// where the first walk's pipe goes.
struct WalkerPipeGuess {
  int read_fd = -1;
  int write_fd = -1;
};
WalkerPipeGuess guess_walker_pipe();

// After the first walk: keeps the guess if it is now one non-blocking pipe.
// Otherwise (libunwind was set up earlier, by the program) nothing is known
// and nothing is checked.
void note_walker_pipe(const WalkerPipeGuess& guess);

// Whether a walk may run: always when guarded; unguarded, false once the
// noted numbers stopped naming the pipe (two fstat calls).
bool walker_pipe_intact();

// For tests: forget the noted pipe and whether it broke.
void forget_walker_pipe();

}  // namespace contend::preload
