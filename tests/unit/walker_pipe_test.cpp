// The stack walker's pipe is checked (two fstat calls) only after the
// program closed or replaced one of its numbers, not before every walk.
#include "core/record/walker_pipe.h"
#include "core/base/raw_syscall.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace contend::preload {
namespace {

TEST(WalkerPipe, CheckedAgainOnlyAfterItsNumbersWereClosedOrReplaced) {
  WalkerPipeGuess guess = guess_walker_pipe();
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_NONBLOCK), 0);
  ASSERT_EQ(fds[0], guess.read_fd);
  ASSERT_EQ(fds[1], guess.write_fd);
  note_walker_pipe(guess);
  EXPECT_TRUE(walker_pipe_intact());

  // /dev/null on the read end, behind the interposers' back (a raw dup2):
  // nothing said so, nothing is checked.
  int null_fd = open("/dev/null", O_RDONLY);
  ASSERT_GE(null_fd, 0);
  ASSERT_EQ(raw_syscall(SYS_dup2, null_fd, fds[0]), fds[0]);
  EXPECT_TRUE(walker_pipe_intact());
  // Closing other numbers changes nothing either.
  note_descriptors_replaced(static_cast<unsigned>(fds[1]) + 100, static_cast<unsigned>(fds[1]) + 200);
  EXPECT_TRUE(walker_pipe_intact());
  // A close or dup2 of one of them: the check sees the change, for good.
  note_descriptors_replaced(0, static_cast<unsigned>(fds[0]));
  EXPECT_FALSE(walker_pipe_intact());
  EXPECT_FALSE(walker_pipe_intact());

  forget_walker_pipe();
  close(null_fd);
  close(fds[0]);
  close(fds[1]);
}

TEST(WalkerPipe, AnIntactPipeStaysUsableAfterAClose) {
  WalkerPipeGuess guess = guess_walker_pipe();
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_NONBLOCK), 0);
  note_walker_pipe(guess);
  note_descriptors_replaced(static_cast<unsigned>(fds[0]), static_cast<unsigned>(fds[0]));
  EXPECT_TRUE(walker_pipe_intact());  // checked: still the same pipe
  forget_walker_pipe();
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
}  // namespace contend::preload
