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
// us (its own import slots rewritten, record/library_imports.h). Its write
// of a byte of memory into the pipe is answered without the pipe: the
// kernel reads that byte for us (process_vm_readv on our own process), and
// says whether it is readable, which is all libunwind wants to know; its
// read of the pipe finds nothing, as nothing went in. So the pipe is made
// (on high numbers, out of the way of programs that reuse low ones) but
// never used: the program's files are never read or written whatever it
// does with the numbers, no write can raise SIGPIPE, and no read can wait.
// A walk pays nothing; an address libunwind checks (a thread's first walks,
// frames without unwind tables) costs two system calls.
//
// Under a seccomp filter (a call it did not expect could kill the program)
// or where the kernel will not read for us, the byte goes
// through the pipe as before, never into a number the program has taken:
// libunwind's read of a taken number fails as on a closed pipe, its close
// of the program's descriptor is skipped, and the pipe it makes next is
// noted in turn.
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

// For tests: check addresses through the pipe, as when the kernel refuses
// process_vm_readv.
void check_addresses_through_pipe_for_tests(bool through_pipe);

// For tests: forget the noted pipe and whether it broke.
void forget_walker_pipe();

}  // namespace contend::preload
