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

TEST(WalkerPipe, AddressesAreCheckedWithoutThePipe) {
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
  // libunwind's question, "can this byte be read?", answered both ways.
  char byte = 'a';
  EXPECT_EQ(guarded_syscall(SYS_write, fds[1], &byte, 1), 1);
  EXPECT_EQ(guarded_write(fds[1], &byte, 1), 1);
  errno = 0;
  EXPECT_EQ(guarded_syscall(SYS_write, fds[1], reinterpret_cast<void*>(16), 1), -1);
  EXPECT_EQ(errno, EFAULT);
  // Nothing went through the pipe, and libunwind's read finds nothing.
  char back = 0;
  EXPECT_EQ(read(fds[0], &back, 1), -1);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_EQ(guarded_read(fds[0], &back, 1), -1);
  EXPECT_EQ(errno, EAGAIN);
  // Other descriptors and system calls pass.
  int other[2];
  ASSERT_EQ(pipe(other), 0);
  EXPECT_EQ(guarded_write(other[1], "xy", 2), 2);
  EXPECT_EQ(guarded_read(other[0], &back, 1), 1);
  EXPECT_EQ(guarded_syscall(SYS_getpid), getpid());
  EXPECT_EQ(guarded_close(fds[0]), 0);
  EXPECT_EQ(guarded_close(fds[1]), 0);
  EXPECT_EQ(fcntl(fds[0], F_GETFD), -1);  // its own pipe: really closed
  for (int fd : other) close(fd);
  forget_walker_pipe();
}

// The program closed the pipe past every interposer and opened its own
// files on the numbers: nothing of them is read, written or closed.
TEST(WalkerPipe, NumbersTakenByTheProgramAreLeftToIt) {
  for (bool through_pipe : {false, true}) {
    SCOPED_TRACE(through_pipe ? "the kernel will not check addresses" : "the kernel checks addresses");
    check_addresses_through_pipe_for_tests(through_pipe);
    testing::TempDir dir;
    forget_walker_pipe();
    int fds[2];
    ASSERT_EQ(guarded_pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
    char byte = 'x';
    if (through_pipe) {  // a byte in the pipe: reads drain it
      EXPECT_EQ(guarded_write(fds[1], &byte, 1), 1);
      EXPECT_EQ(guarded_read(fds[0], &byte, 1), 1);
    }
    int input = open(dir.file("input").c_str(), O_RDWR | O_CREAT, 0600);
    int output = open(dir.file("output").c_str(), O_RDWR | O_CREAT, 0600);
    ASSERT_EQ(write(input, "hello", 5), 5);
    ASSERT_EQ(lseek(input, 0, SEEK_SET), 0);
    ASSERT_EQ(dup2(input, fds[0]), fds[0]);
    ASSERT_EQ(dup2(output, fds[1]), fds[1]);

    errno = 0;
    EXPECT_EQ(guarded_read(fds[0], &byte, 1), -1);
    EXPECT_EQ(errno, through_pipe ? EBADF : EAGAIN);  // EBADF: libunwind makes a new pipe
    EXPECT_EQ(lseek(input, 0, SEEK_CUR), 0);          // nothing of the program's input read
    errno = 0;
    EXPECT_EQ(guarded_syscall(SYS_write, fds[1], &byte, 1), through_pipe ? -1 : 1);
    EXPECT_EQ(guarded_write(fds[1], &byte, 1), through_pipe ? -1 : 1);
    EXPECT_EQ(size_of(output), 0);  // nothing of our memory written
    EXPECT_EQ(guarded_close(fds[0]), 0);
    EXPECT_EQ(guarded_close(fds[1]), 0);
    EXPECT_NE(fcntl(fds[0], F_GETFD), -1);  // the program's descriptors stay open
    EXPECT_NE(fcntl(fds[1], F_GETFD), -1);
    for (int fd : {fds[0], fds[1], input, output}) close(fd);
  }
  check_addresses_through_pipe_for_tests(false);
  forget_walker_pipe();
}

// Through the pipe, the program took one end only: libunwind's close of
// the other, still its pipe, goes through (one descriptor leaked per
// takeover otherwise).
TEST(WalkerPipe, UntakenEndIsClosed) {
  check_addresses_through_pipe_for_tests(true);
  forget_walker_pipe();
  int fds[2];
  ASSERT_EQ(guarded_pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
  int program = open("/dev/null", O_RDONLY);
  ASSERT_EQ(dup2(program, fds[0]), fds[0]);
  char byte = 0;
  EXPECT_EQ(guarded_read(fds[0], &byte, 1), -1);  // taken: libunwind closes both
  EXPECT_EQ(guarded_close(fds[0]), 0);
  EXPECT_EQ(guarded_close(fds[1]), 0);
  EXPECT_NE(fcntl(fds[0], F_GETFD), -1);  // the program's
  EXPECT_EQ(fcntl(fds[1], F_GETFD), -1);  // libunwind's end, closed
  close(fds[0]);
  close(program);
  check_addresses_through_pipe_for_tests(false);
  forget_walker_pipe();
}

// libunwind reads again while errno says EINTR: a pipe the program made
// blocking must not hold the walk.
TEST(WalkerPipe, ReadNeverWaits) {
  check_addresses_through_pipe_for_tests(true);
  forget_walker_pipe();
  int fds[2];
  ASSERT_EQ(guarded_pipe2(fds, O_CLOEXEC | O_NONBLOCK), 0);
  char byte = 'a';
  ASSERT_EQ(guarded_write(fds[1], &byte, 1), 1);
  ASSERT_EQ(guarded_read(fds[0], &byte, 1), 1);
  ASSERT_EQ(fcntl(fds[0], F_SETFL, 0), 0);  // blocking now, and empty
  errno = EINTR;
  EXPECT_EQ(guarded_read(fds[0], &byte, 1), -1);
  EXPECT_EQ(errno, EAGAIN);
  close(fds[0]);
  close(fds[1]);
  check_addresses_through_pipe_for_tests(false);
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
