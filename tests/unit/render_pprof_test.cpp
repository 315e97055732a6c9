// -f pprof on a hand-built trace: the profile samples the aggregation makes
// (by thread and stack, holds by site, stacks lost or never recorded), and
// the gzipped profile.proto read back with the same generated classes.
#include "aggregate/aggregator.h"
#include "render/render.h"
#include "test_session.h"
#include "trace_builder.h"

#include "profile.pb.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <map>
#include <string>

namespace contend::analyze {
namespace {

using format::WaitKind;
using testing::TraceBuilder;
namespace pb = perftools::profiles;

constexpr uint64_t kPool = 0x7000;
constexpr uint64_t kMs = 1'000'000;  // ticks are nanoseconds here

std::string gunzip(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out;
  char buf[4096];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof(buf);
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof(buf) - z.avail_out);
  }
  inflateEnd(&z);
  EXPECT_EQ(rc, Z_STREAM_END);
  return out;
}

class RenderPprof : public ::testing::Test {
 protected:
  void SetUp() override {
    TraceBuilder b;
    b.add(TraceBuilder::thread_start(100, 1000));
    b.add(TraceBuilder::thread_start(101, 1000));
    b.add_bytes(TraceBuilder::lock_name(kPool, "pool.alloc_lock"));
    b.add_bytes(TraceBuilder::stack(11, {0xa10, 0xb10}));
    for (int i = 0; i < 3; ++i) {  // thread 100: 3 waits of 2 ms on stack 11
      auto w = TraceBuilder::wait(kPool, 100, 2000 + i * kMs, 2 * kMs);
      w.stack_id = 11;
      b.add(w);
    }
    auto w = TraceBuilder::wait(kPool, 101, 9 * kMs, 5 * kMs);  // thread 101: same stack
    w.stack_id = 11;
    b.add(w);
    b.add(TraceBuilder::wait(kPool, 101, 20 * kMs, 1 * kMs));  // no stack recorded
    auto lost = TraceBuilder::wait(kPool, 101, 30 * kMs, 3 * kMs);
    lost.stack_id = 99;  // its STACK record is missing
    b.add(lost);
    b.add(TraceBuilder::hold(kPool, 100, 0xd10, 1 * kMs, 4));
    b.add(TraceBuilder::counts(kPool, 100, 1, 50, 3));
    b.add(TraceBuilder::counts(kPool, 101, 2, 50, 3));
    b.add(TraceBuilder::thread_end(100, 100 * kMs, "worker-a"));
    b.add(TraceBuilder::thread_end(101, 100 * kMs, "worker-b"));
    b.add(TraceBuilder::footer(100 * kMs, 2));
    path_ = dir_.path().string() + "/pprof.trace";
    b.write(path_);
    AggregateOptions options;
    options.symbolize = false;
    options.profile = true;
    Aggregator a(options);
    a.add_trace(path_);
    report_ = a.finish();
  }

  testing::TempDir dir_;
  std::string path_;
  Report report_;
};

TEST_F(RenderPprof, SamplesByThreadAndStack) {
  ASSERT_EQ(report_.locks.size(), 1u);
  const LockRow& pool = report_.locks[0];
  uint64_t waits = 0, wait_ns = 0, hold_ns = 0;
  std::map<std::pair<uint32_t, std::string>, uint64_t> by_thread_and_leaf;
  for (const ProfileSample& s : pool.profile) {
    waits += s.waits;
    wait_ns += s.wait_ns;
    hold_ns += s.hold_ns;
    const ProfileLocation& leaf = report_.profile.locations.at(s.locations.at(0));
    by_thread_and_leaf[{s.tid, leaf.fallback}] += s.wait_ns;
  }
  EXPECT_EQ(waits, pool.waits);
  EXPECT_EQ(wait_ns, pool.wait_total_ns);
  EXPECT_EQ(hold_ns, pool.hold.total_ns);
  EXPECT_EQ(hold_ns, 4 * kMs);
  EXPECT_EQ((by_thread_and_leaf[{100, "?+0xa10"}]), 6 * kMs);
  EXPECT_EQ((by_thread_and_leaf[{101, "?+0xa10"}]), 5 * kMs);
  EXPECT_EQ((by_thread_and_leaf[{101, "[no stack]"}]), 1 * kMs);
  EXPECT_EQ((by_thread_and_leaf[{101, "[stack lost]"}]), 3 * kMs);
}

TEST_F(RenderPprof, ProfileProtoReadsBack) {
  std::string bytes = render_pprof(report_, RenderOptions{});
  ASSERT_GE(bytes.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(bytes[1]), 0x8b);
  pb::Profile p;
  ASSERT_TRUE(p.ParseFromString(gunzip(bytes)));
  auto str = [&](int64_t i) { return p.string_table(static_cast<int>(i)); };
  ASSERT_EQ(p.string_table(0), "");
  ASSERT_EQ(p.sample_type_size(), 3);
  EXPECT_EQ(str(p.sample_type(0).type()) + "/" + str(p.sample_type(0).unit()), "contentions/count");
  EXPECT_EQ(str(p.sample_type(1).type()) + "/" + str(p.sample_type(1).unit()), "delay/nanoseconds");
  EXPECT_EQ(str(p.sample_type(2).type()) + "/" + str(p.sample_type(2).unit()), "hold/nanoseconds");
  EXPECT_EQ(str(p.default_sample_type()), "delay");
  int64_t totals[3] = {};
  std::map<std::string, std::string> labels;
  for (const pb::Sample& s : p.sample()) {
    for (int i = 0; i < 3; ++i) totals[i] += s.value(i);
    for (uint64_t id : s.location_id())
      EXPECT_TRUE(id >= 1 && id <= static_cast<uint64_t>(p.location_size()));
    for (const pb::Label& l : s.label())
      if (l.str() != 0) labels[str(l.key())] = str(l.str());
  }
  EXPECT_EQ(totals[0], 6);
  EXPECT_EQ(totals[1], static_cast<int64_t>(report_.locks[0].wait_total_ns));
  EXPECT_EQ(totals[2], static_cast<int64_t>(4 * kMs));
  EXPECT_EQ(labels["lock"], "pool.alloc_lock");
  EXPECT_EQ(labels["kind"], "mutex");
  EXPECT_EQ(labels["lock_address"], "0x7000");
  EXPECT_TRUE(labels["thread"] == "worker-a" || labels["thread"] == "worker-b");
  for (const pb::Location& l : p.location()) {
    ASSERT_GE(l.line_size(), 1);
    for (const pb::Line& line : l.line())
      EXPECT_TRUE(line.function_id() >= 1 && line.function_id() <= static_cast<uint64_t>(p.function_size()));
  }
}

}  // namespace
}  // namespace contend::analyze
