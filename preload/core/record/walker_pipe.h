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
// libunwind makes its pipe2, read, write, close and syscall calls through
// us (its own import slots rewritten, record/library_imports.h): the pipe
// is made on high numbers, out of the way of programs that reuse low ones,
// and noted. Once the program has taken either number, libunwind's read of
// it fails as on a closed pipe, its close of the program's descriptors is
// skipped, and the new pipe it then makes is noted in turn; its write to a
// taken number fails (the address counts as unreadable). The program's
// files are never read or written, and walks keep their stacks. A read
// never waits, even if the program made the pipe blocking. A walk pays
// nothing: only libunwind's checks of an address (a thread's first walks,
// frames without unwind tables) pay two fstat calls and a poll.
//
// If the pipe existed before the slots were rewritten (libunwind set up by
// the program first), its numbers are guessed at our first walk and
// guarded the same way. If the slots cannot be rewritten, two fstat calls
// check the pipe before every walk, and walks stop for good once it is gone.
#pragma once

#include <sys/types.h>

namespace contend::preload {

// Routes libunwind's pipe2, read, write, close and syscall through the
// checks below. False when they could not be replaced.
bool guard_walker_pipe(void* unwinder_handle);
bool walker_pipe_guarded();
// Whether a pipe is noted, and its numbers (for tests).
bool walker_pipe_noted(int* read_fd, int* write_fd);

// What libunwind calls once guarded (exposed for tests).
int guarded_pipe2(int fds[2], int flags);
ssize_t guarded_read(int fd, void* buffer, size_t size);
ssize_t guarded_write(int fd, const void* buffer, size_t size);
int guarded_close(int fd);
long guarded_syscall(long number, ...);

// The two lowest free descriptor numbers, where the first walk's pipe goes
// when libunwind makes it without us.
struct WalkerPipeGuess {
  int read_fd = -1;
  int write_fd = -1;
};
WalkerPipeGuess guess_walker_pipe();

// After the first walk, unless the pipe was noted as it was made: keeps the
// guess if it is now one non-blocking pipe. Otherwise (libunwind was set up
// earlier, by the program) nothing is known and nothing is checked.
void note_walker_pipe(const WalkerPipeGuess& guess);

// Whether a walk may run: always when guarded; else false once the noted
// numbers stopped naming the pipe (two fstat calls).
bool walker_pipe_intact();

// For tests: forget the noted pipe and whether it broke.
void forget_walker_pipe();

}  // namespace contend::preload
