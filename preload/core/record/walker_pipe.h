// libunwind's descriptors, kept apart from the program's.
//
// libunwind checks an address it is unsure of by writing one byte from it
// into a pipe it opens once per process, after reading one byte back; when
// that read fails it closes both numbers and opens a new pipe. The numbers
// are ordinary descriptors: a program that closes every descriptor it did
// not open (closefrom, a close loop, as daemons and spawners do) and then
// opens its own files gets them, and the next walk reads a byte from the
// program's file and writes a byte of memory into another one (or blocks on
// the program's empty pipe), or takes the program's next descriptor
// numbers. So the pipe is noted when the first walk makes it, and walks stop
// for good, with one warning, once its numbers name something else.
#pragma once

namespace contend::preload {

// The two lowest free descriptor numbers: where the first walk's pipe goes.
struct WalkerPipeGuess {
  int read_fd = -1;
  int write_fd = -1;
};
WalkerPipeGuess guess_walker_pipe();

// After the first walk: keeps the guess if it is now one non-blocking pipe.
// Otherwise (libunwind was set up earlier, by the program) nothing is known
// and nothing is checked.
void note_walker_pipe(const WalkerPipeGuess& guess);

// Whether a walk may run: false once the noted numbers stopped naming the
// pipe (two fstat calls; walks happen on contended waits only).
bool walker_pipe_intact();

// For tests: forget the noted pipe.
void forget_walker_pipe();

}  // namespace contend::preload
