// Where the trace goes, and what is never done to files already there.
#include "core/output/output_path.h"
#include "test_session.h"
#include "trace_builder.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fstream>

namespace contend::preload {
namespace {

namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

pid_t dead_pid() {
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  return child;
}

TEST(OutputPath, PercentPBecomesThePid) {
  EXPECT_EQ(expand_output_pattern("trace.%p.bin", 42), "trace.42.bin");
  EXPECT_EQ(expand_output_pattern("100%%-%p", 7), "100%-7");
  EXPECT_EQ(expand_output_pattern("plain", 7), "plain");
}

TEST(OutputPath, CreatesANewFileWithMode0600) {
  testing::TempDir dir;
  ClaimedOutput out = claim_output(dir.file("t.bin"), getpid());
  ASSERT_GE(out.fd, 0) << out.error;
  close(out.fd);
  EXPECT_EQ(out.path, dir.file("t.bin"));
  struct stat st;
  ASSERT_EQ(stat(out.path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(OutputPath, NeverFollowsASymlink) {
  testing::TempDir dir;
  std::string target = dir.file("victim");
  { std::ofstream(target) << "precious"; }
  ASSERT_EQ(symlink(target.c_str(), dir.file("t.bin").c_str()), 0);
  ClaimedOutput out = claim_output(dir.file("t.bin"), getpid());
  EXPECT_LT(out.fd, 0);
  EXPECT_NE(out.error.find("is a symbolic link; refusing to follow it"), std::string::npos) << out.error;
  EXPECT_EQ(slurp(target), "precious");
}

TEST(OutputPath, StaleTraceOfADeadProcessMovesToOld) {
  testing::TempDir dir;
  testing::TraceBuilder old;
  old.header().pid = static_cast<uint32_t>(dead_pid());
  old.write(dir.file("t.bin"));
  ClaimedOutput out = claim_output(dir.file("t.bin"), getpid());
  ASSERT_GE(out.fd, 0) << out.error;
  close(out.fd);
  EXPECT_EQ(out.path, dir.file("t.bin"));
  EXPECT_TRUE(fs::exists(dir.file("t.bin.old")));
  EXPECT_EQ(fs::file_size(dir.file("t.bin.old")), old.bytes().size());
  EXPECT_NE(out.note.find("moved the previous trace"), std::string::npos);
}

TEST(OutputPath, TraceOfALiveProcessIsLeftAloneAndWeTakePathDotPid) {
  testing::TempDir dir;
  testing::TraceBuilder live;
  live.header().pid = static_cast<uint32_t>(getppid());  // alive: it runs us
  live.write(dir.file("t.bin"));
  ClaimedOutput out = claim_output(dir.file("t.bin"), 777);
  ASSERT_GE(out.fd, 0) << out.error;
  close(out.fd);
  EXPECT_EQ(out.path, dir.file("t.bin.777"));
  EXPECT_EQ(fs::file_size(dir.file("t.bin")), live.bytes().size());
  // Again with the same pid (an exec'd image of the same process).
  ClaimedOutput again = claim_output(dir.file("t.bin"), 777);
  ASSERT_GE(again.fd, 0) << again.error;
  close(again.fd);
  EXPECT_EQ(again.path, dir.file("t.bin.777.1"));
}

TEST(OutputPath, ForeignFileIsNeverReplaced) {
  testing::TempDir dir;
  { std::ofstream(dir.file("t.bin")) << "user data"; }
  ClaimedOutput out = claim_output(dir.file("t.bin"), 55);
  ASSERT_GE(out.fd, 0) << out.error;
  close(out.fd);
  EXPECT_EQ(out.path, dir.file("t.bin.55"));
  EXPECT_EQ(slurp(dir.file("t.bin")), "user data");
}

TEST(OutputPath, MissingDirectoryIsAClearError) {
  ClaimedOutput out = claim_output("/nonexistent-dir/t.bin", getpid());
  EXPECT_LT(out.fd, 0);
  EXPECT_EQ(out.error, "cannot create trace file /nonexistent-dir/t.bin: No such file or directory");
}

// A directory receives one trace per process, named by the pid; it is never
// taken for a file that exists (which made CONTEND_OUTPUT=dir write dir.PID).
TEST(OutputPath, ADirectoryGetsOneTracePerProcessInside) {
  testing::TempDir dir;
  ClaimedOutput out = claim_output(dir.path().string(), 4242);
  ASSERT_GE(out.fd, 0) << out.error;
  close(out.fd);
  EXPECT_EQ(out.path, dir.file("contend.4242.trace"));
  struct stat st;
  ASSERT_EQ(lstat(out.path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(fs::exists(dir.path().string() + ".4242"));
  // The same pid again (its exec'd image): the next free number, nothing moved.
  ClaimedOutput again = claim_output(dir.path().string() + "/", 4242);
  ASSERT_GE(again.fd, 0) << again.error;
  close(again.fd);
  EXPECT_EQ(again.path, dir.file("contend.4242.1.trace"));
  EXPECT_TRUE(fs::exists(dir.file("contend.4242.trace")));
  EXPECT_FALSE(fs::exists(dir.file("contend.4242.trace.old")));
}

TEST(OutputPath, DirectoryPatternWithPercentP) {
  testing::TempDir dir;
  fs::create_directory(dir.file("run-77"));
  ClaimedOutput out = claim_output(dir.file("run-%p"), 77);
  ASSERT_GE(out.fd, 0) << out.error;
  close(out.fd);
  EXPECT_EQ(out.path, dir.file("run-77/contend.77.trace"));
}

TEST(OutputPath, TrailingSlashNamesADirectoryEvenWhenMissing) {
  testing::TempDir dir;
  ClaimedOutput out = claim_output(dir.file("missing") + "/", 9);
  EXPECT_LT(out.fd, 0);
  EXPECT_EQ(out.error, "cannot create trace file " + dir.file("missing/contend.9.trace") +
                           ": No such file or directory");
  EXPECT_FALSE(fs::exists(dir.file("missing")));
}

TEST(OutputPath, SymlinkInsideADirectoryIsNeverFollowed) {
  testing::TempDir dir;
  std::string target = dir.file("victim");
  { std::ofstream(target) << "precious"; }
  ASSERT_EQ(symlink(target.c_str(), dir.file("contend.5.trace").c_str()), 0);
  ClaimedOutput out = claim_output(dir.path().string(), 5);
  EXPECT_LT(out.fd, 0);
  EXPECT_EQ(out.error,
            "trace path " + dir.file("contend.5.trace") + " is a symbolic link; refusing to follow it");
  EXPECT_EQ(slurp(target), "precious");
}

// A symlink at the configured path stays refused, even one to a directory:
// only a path ending in "/" goes through it.
TEST(OutputPath, SymlinkToADirectoryIsRefusedWithoutATrailingSlash) {
  testing::TempDir dir;
  fs::create_directory(dir.file("real"));
  ASSERT_EQ(symlink(dir.file("real").c_str(), dir.file("link").c_str()), 0);
  ClaimedOutput out = claim_output(dir.file("link"), 6);
  EXPECT_LT(out.fd, 0);
  EXPECT_NE(out.error.find("is a symbolic link; refusing to follow it"), std::string::npos) << out.error;
  EXPECT_TRUE(fs::is_empty(dir.file("real")));
  ClaimedOutput through = claim_output(dir.file("link") + "/", 6);
  ASSERT_GE(through.fd, 0) << through.error;
  close(through.fd);
  EXPECT_EQ(through.path, dir.file("link/contend.6.trace"));
  EXPECT_TRUE(fs::exists(dir.file("real/contend.6.trace")));
}

}  // namespace
}  // namespace contend::preload
