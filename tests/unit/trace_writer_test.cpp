// The writer and the reader agree byte for byte, and the writer fails safe.
#include "core/output/trace_writer.h"
#include "core/base/warn.h"
#include "read/trace_reader.h"
#include "test_session.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

namespace contend::preload {
namespace {

HeaderInfo sample_header() {
  HeaderInfo h;
  h.pid = 1234;
  h.ppid = 1;
  h.start_realtime_ns = 1;
  h.start_monotonic_ns = 2;
  h.start_ticks = 3;
  h.calib_ticks = 5;
  h.calib_ns = 2;
  h.clock_source = format::ClockSource::kTsc;
  h.exe_path = "/opt/app/bin/server";
  h.command_line = std::string(
      "server\0--port\0"
      "8080\0",
      19);
  return h;
}

int create(const std::string& path) {
  return open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
}

TEST(TraceWriter, RoundTripsHeaderAndRecords) {
  testing::TempDir dir;
  std::string path = dir.file("rt.bin");
  TraceWriter* w = new TraceWriter();  // large buffer: keep it off the stack
  w->open(create(path), path);
  ASSERT_TRUE(w->write_header(sample_header()));
  std::vector<format::WaitRecord> written;
  for (uint32_t i = 0; i < 20000; ++i) {  // several buffers' worth
    format::WaitRecord r{};
    r.header = format::make_header<format::WaitRecord>();
    r.lock = 0x1000 + i;
    r.start = i * 3ull;
    r.duration = i;
    r.tid = i % 7;
    r.owner_tid = i % 5;
    r.wait_kind = static_cast<uint8_t>(1 + i % 7);
    r.lock_generation = i / 100;
    w->append(r);
    written.push_back(r);
  }
  ASSERT_TRUE(w->flush());
  EXPECT_EQ(w->records(), written.size());
  w->close();
  delete w;

  analyze::TraceReader reader(path);
  const analyze::TraceHeader& h = reader.open();
  EXPECT_EQ(h.raw.pid, 1234u);
  EXPECT_EQ(h.raw.calib_ticks, 5u);
  EXPECT_EQ(h.raw.clock_source, static_cast<uint8_t>(format::ClockSource::kTsc));
  EXPECT_EQ(h.exe_path, "/opt/app/bin/server");
  EXPECT_EQ(h.argv, (std::vector<std::string>{"server", "--port", "8080"}));
  size_t i = 0;
  analyze::ReadSummary s = reader.read([&](const analyze::RecordView& v) {
    ASSERT_LT(i, written.size());
    ASSERT_EQ(v.kind, format::RecordKind::kWait);
    auto r = v.as<format::WaitRecord>();
    EXPECT_EQ(std::memcmp(&r, &written[i], sizeof(r)), 0) << "record " << i;
    ++i;
  });
  EXPECT_EQ(i, written.size());
  EXPECT_FALSE(s.truncated);
}

TEST(TraceWriter, ClosedDescriptorStopsWritingWithOneWarning) {
  testing::TempDir dir;
  std::string path = dir.file("closed.bin");
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  set_diagnostic_fd(pipe_fds[1]);
  auto* w = new TraceWriter();
  int fd = create(path);
  w->open(fd, path);
  ASSERT_TRUE(w->write_header(sample_header()));
  // The host closes "our" fd and opens something else under that number.
  close(fd);
  int other = open(dir.file("host-file").c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_EQ(other, fd);
  format::ClockSyncRecord c{};
  c.header = format::make_header<format::ClockSyncRecord>();
  w->append(c);
  EXPECT_FALSE(w->flush());
  EXPECT_TRUE(w->failed());
  w->append(c);
  EXPECT_FALSE(w->flush());
  close(pipe_fds[1]);
  char buf[512] = {};
  ssize_t n = read(pipe_fds[0], buf, sizeof(buf) - 1);
  close(pipe_fds[0]);
  ASSERT_GT(n, 0);
  std::string said(buf, static_cast<size_t>(n));
  EXPECT_EQ(said, "contend: stopped writing " + path +
                      ": its file descriptor was closed by the program; the trace ends at byte " +
                      std::to_string(std::filesystem::file_size(path)) + "\n");
  EXPECT_EQ(std::filesystem::file_size(dir.file("host-file")), 0u);  // nothing of ours
  close(other);
  delete w;
  set_diagnostic_fd(-1);
}

TEST(TraceWriter, FileSizeLimitIsNeverCrossed) {
  // In a child: RLIMIT_FSIZE of 64 KiB; crossing it would raise SIGXFSZ.
  testing::TempDir dir;
  std::string path = dir.file("limited.bin");
  pid_t child = fork();
  if (child == 0) {
    struct rlimit lim = {64 * 1024, 64 * 1024};
    setrlimit(RLIMIT_FSIZE, &lim);
    set_diagnostic_fd(-1);
    auto* w = new TraceWriter();
    w->open(create(path), path);
    w->write_header(sample_header());
    format::WaitRecord r{};
    r.header = format::make_header<format::WaitRecord>();
    r.wait_kind = 1;
    for (int i = 0; i < 100000; ++i) w->append(r);
    w->flush();
    format::FooterRecord f{};
    f.header = format::make_header<format::FooterRecord>();
    w->append(f);
    w->flush(true);
    _exit(w->failed() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_LE(std::filesystem::file_size(path), 64u * 1024);
  analyze::TraceReader reader(path);
  reader.open();
  analyze::ReadSummary s = reader.read([](const analyze::RecordView&) {});
  EXPECT_FALSE(s.truncated);  // ends on a record boundary
}

}  // namespace
}  // namespace contend::preload
