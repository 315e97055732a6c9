// libunwind's pipe, kept apart from the program's descriptors: the calls
// libunwind makes once guarded, and the replacement of one library's
// imports that routes them to us.
#include "core/base/high_descriptor.h"
#include "core/record/library_imports.h"
#include "core/record/unwinder.h"
#include "core/record/walker_pipe.h"
#include "test_session.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace contend::preload {
namespace {

off_t size_of(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 ? st.st_size : -1;
}

TEST(WalkerPipe, PipeIsMadeHighAndCarriesLibunwindsBytes) {
  forget_walker_pipe();
  int fds[2];
  ASSERT_EQ(guarded_pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
  struct rlimit files;
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
  if (files.rlim_cur > 800) {
    EXPECT_GE(fds[0], kHighDescriptor);  // out of the way of programs that reuse low numbers
    EXPECT_GE(fds[1], kHighDescriptor);
  }
  EXPECT_EQ(fcntl(fds[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  int read_fd = -1, write_fd = -1;
  ASSERT_TRUE(walker_pipe_noted(&read_fd, &write_fd));
  EXPECT_EQ(read_fd, fds[0]);
  EXPECT_EQ(write_fd, fds[1]);
  char byte = 'a';
  EXPECT_EQ(guarded_syscall(SYS_write, fds[1], &byte, 1), 1);
  EXPECT_EQ(guarded_write(fds[1], &byte, 1), 1);
  char back[2] = {};
  EXPECT_EQ(guarded_read(fds[0], back, 2), 2);
  EXPECT_EQ(back[0], 'a');
  EXPECT_EQ(guarded_close(fds[0]), 0);
  EXPECT_EQ(guarded_close(fds[1]), 0);
  EXPECT_EQ(fcntl(fds[0], F_GETFD), -1);  // its own pipe: really closed
  forget_walker_pipe();
}

// libunwind reads again while errno says EINTR: a pipe the program made
// blocking must not hold the walk.
TEST(WalkerPipe, ReadNeverWaits) {
  forget_walker_pipe();
  int fds[2];
  ASSERT_EQ(guarded_pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
  ASSERT_EQ(fcntl(fds[0], F_SETFL, 0), 0);  // blocking now
  char byte = 0;
  errno = EINTR;
  EXPECT_EQ(guarded_read(fds[0], &byte, 1), -1);
  EXPECT_EQ(errno, EAGAIN);
  close(fds[0]);
  close(fds[1]);
  forget_walker_pipe();
}

// The program closed the pipe past every interposer and opened its own
// files on the numbers. libunwind's read fails as on a closed pipe, its
// close of the numbers is skipped, and the pipe it makes next is noted:
// the program's files are never read, written or closed.
TEST(WalkerPipe, NumbersTakenByTheProgramAreLeftToIt) {
  testing::TempDir dir;
  forget_walker_pipe();
  int fds[2];
  ASSERT_EQ(guarded_pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
  int input = open(dir.file("input").c_str(), O_RDWR | O_CREAT, 0600);
  int output = open(dir.file("output").c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_EQ(write(input, "hello", 5), 5);
  ASSERT_EQ(lseek(input, 0, SEEK_SET), 0);
  ASSERT_EQ(dup2(input, fds[0]), fds[0]);
  ASSERT_EQ(dup2(output, fds[1]), fds[1]);

  char byte = 'x';
  errno = 0;
  EXPECT_EQ(guarded_read(fds[0], &byte, 1), -1);
  EXPECT_EQ(errno, EBADF);
  EXPECT_EQ(lseek(input, 0, SEEK_CUR), 0);  // nothing of the program's input read
  errno = 0;
  EXPECT_EQ(guarded_syscall(SYS_write, fds[1], &byte, 1), -1);
  EXPECT_EQ(errno, EBADF);
  EXPECT_EQ(guarded_write(fds[1], &byte, 1), -1);
  EXPECT_EQ(size_of(output), 0);  // nothing of our memory written
  EXPECT_EQ(guarded_close(fds[0]), 0);
  EXPECT_EQ(guarded_close(fds[1]), 0);
  EXPECT_NE(fcntl(fds[0], F_GETFD), -1);  // the program's descriptors stay open
  EXPECT_NE(fcntl(fds[1], F_GETFD), -1);
  // Other descriptors pass, and so do other system calls.
  EXPECT_EQ(guarded_write(output, &byte, 1), 1);
  EXPECT_EQ(guarded_syscall(SYS_getpid), getpid());
  EXPECT_EQ(size_of(output), 1);

  int fresh[2];
  ASSERT_EQ(guarded_pipe2(fresh, O_CLOEXEC | O_NONBLOCK), 0);
  EXPECT_EQ(guarded_write(fresh[1], &byte, 1), 1);
  EXPECT_EQ(guarded_read(fresh[0], &byte, 1), 1);
  for (int fd : {fds[0], fds[1], input, output, fresh[0], fresh[1]}) close(fd);
  forget_walker_pipe();
}

int fake_getppid() {
  return 4242;
}

TEST(LibraryImports, ReplacesOneLibrarysCallsOnly) {
  // Bound at load and read-only since (full RELRO): the write needs mprotect.
  void* probe = dlopen(CONTEND_IMPORTS_PROBE, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(probe, nullptr) << dlerror();
  auto call = reinterpret_cast<int (*)()>(dlsym(probe, "imports_probe_getppid"));
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call(), getppid());
  const ImportReplacement fake[] = {{"getppid", reinterpret_cast<void*>(&fake_getppid)}};
  EXPECT_EQ(replace_library_imports(probe, fake, 1), 1u);
  EXPECT_EQ(call(), 4242);
  EXPECT_NE(getppid(), 4242);  // ours, through our own slot: libc's still
  const ImportReplacement none[] = {{"no_such_import", reinterpret_cast<void*>(&fake_getppid)}};
  EXPECT_EQ(replace_library_imports(probe, none, 1), 0u);
  EXPECT_EQ(replace_library_imports(nullptr, fake, 1), 0u);
  dlclose(probe);
}

TEST(LibraryImports, PrivateUnwinderIsGuarded) {
  std::string error;
  ASSERT_TRUE(load_unwinder(&error)) << error;
  // The test binary does not load libunwind itself: the copy is ours.
  EXPECT_TRUE(walker_pipe_guarded());  // pipe2, read, write, close, syscall
  EXPECT_TRUE(walker_pipe_intact());   // no check of its own before a walk
}

}  // namespace
}  // namespace contend::preload
