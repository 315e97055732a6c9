// The live Prometheus file's counts and text (preload/core/prometheus_*.h),
// driven directly: records as the drain would copy them out of rings.
#include "core/output/prometheus_file.h"
#include "core/base/config.h"
#include "core/thread/thread_registry.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace contend::preload {
namespace {

using format::WaitKind;

std::map<std::string, std::string> g_env;
const char* fake_env(const char* name) {
  auto it = g_env.find(name);
  return it == g_env.end() ? nullptr : it->second.c_str();
}

TEST(PrometheusConfig, FileAndPeriod) {
  g_env = {};
  ConfigResult d = parse_config(&fake_env);
  EXPECT_EQ(d.config.prom_file, "");
  EXPECT_EQ(d.config.prom_ms, 10000u);
  g_env = {{"CONTEND_PROM_FILE", "/var/lib/node_exporter/app.%p.prom"}, {"CONTEND_PROM_MS", "500"}};
  ConfigResult r = parse_config(&fake_env);
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(r.config.prom_file, "/var/lib/node_exporter/app.%p.prom");
  EXPECT_EQ(r.config.prom_ms, 500u);
  g_env = {{"CONTEND_PROM_MS", "5"}};
  ConfigResult bad = parse_config(&fake_env);
  ASSERT_EQ(bad.warnings.size(), 1u);
  EXPECT_NE(bad.warnings[0].find("CONTEND_PROM_MS='5'"), std::string::npos);
  EXPECT_EQ(bad.config.prom_ms, 10000u);
}

class Records {
 public:
  template <typename R>
  void add(const R& r) {
    auto* p = reinterpret_cast<const std::byte*>(&r);
    bytes_.insert(bytes_.end(), p, p + sizeof(r));
  }
  void wait(uint64_t lock, uint64_t ticks, WaitKind kind = WaitKind::kMutex) {
    format::WaitRecord r{};
    r.header = format::make_header<format::WaitRecord>(format::RecordKind::kWait);
    r.lock = lock;
    r.duration = ticks;
    r.wait_kind = static_cast<uint8_t>(kind);
    add(r);
  }
  void counts(uint64_t lock, uint64_t acquisitions, uint64_t contended) {
    format::LockCountsRecord r{};
    r.header = lock != 0 ? format::make_header<format::LockCountsRecord>()
                         : format::make_header<format::UntrackedRecord>();
    r.lock = lock;
    r.acquisitions = acquisitions;
    r.contended = contended;
    r.wait_kind = static_cast<uint8_t>(WaitKind::kMutex);
    add(r);
  }
  void hold(uint64_t lock, uint64_t ticks, uint32_t weight) {
    format::HoldRecord r{};
    r.header = format::make_header<format::HoldRecord>(format::RecordKind::kHold);
    r.lock = lock;
    r.duration = ticks;
    r.weight = weight;
    r.wait_kind = static_cast<uint8_t>(WaitKind::kMutex);
    add(r);
  }
  const std::vector<std::byte>& bytes() const { return bytes_; }

 private:
  std::vector<std::byte> bytes_;
};

class PrometheusFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/contend-prom-XXXXXX";
    dir_ = mkdtemp(dir_template);
    path_ = dir_ + "/app.prom";
    RegistryLimits limits;
    limits.max_threads = 4;
    limits.ring_bytes = 16 << 10;
    limits.lock_slots = 64;
    limits.lock_slots_max = 64;
    ASSERT_TRUE(registry_.init(limits));
    file_.configure(path_.c_str(), 10000, 1, 1);  // 1 tick = 1 ns
    ASSERT_TRUE(file_.enabled());
  }
  void TearDown() override {
    registry_.destroy();
    std::remove(path_.c_str());
    rmdir(dir_.c_str());
  }
  std::string write(const Records& r) {
    file_.observe(r.bytes().data(), r.bytes().size());
    file_.maybe_write(registry_, "/tmp/app.trace", 0, true);
    std::ifstream f(path_);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }
  static bool has(const std::string& text, const std::string& line) {
    return text.find(line + "\n") != std::string::npos;
  }

  std::string dir_, path_;
  ThreadRegistry registry_;
  PrometheusFile file_;
};

TEST_F(PrometheusFileTest, CountsWaitsHoldsAndOther) {
  Records r;
  r.wait(0x1000, 5000);                       // 5 us
  r.wait(0x1000, 2000000);                    // 2 ms
  r.wait(0x1000, 900, WaitKind::kCondition);  // not lock contention
  r.hold(0x1000, 100, 4);
  r.counts(0x1000, 10, 2);  // spilled by its thread
  r.counts(0, 7, 0);        // untracked acquisitions: "other"
  std::string text = write(r);
  const std::string lock = R"(lock="0x1000",kind="mutex",address="0x1000")";
  EXPECT_TRUE(has(text, "contend_lock_acquisitions_total{" + lock + "} 10")) << text;
  EXPECT_TRUE(has(text, "contend_lock_contended_total{" + lock + "} 2"));
  EXPECT_TRUE(has(text, "contend_lock_wait_seconds_total{" + lock + "} 0.002005000"));
  EXPECT_TRUE(has(text, "contend_lock_hold_seconds_total{" + lock + "} 0.000000400"));
  EXPECT_TRUE(has(text, "contend_lock_wait_duration_seconds_bucket{" + lock + R"(,le="1e-06"} 0)"));
  EXPECT_TRUE(has(text, "contend_lock_wait_duration_seconds_bucket{" + lock + R"(,le="1e-05"} 1)"));
  EXPECT_TRUE(has(text, "contend_lock_wait_duration_seconds_bucket{" + lock + R"(,le="0.001"} 1)"));
  EXPECT_TRUE(has(text, "contend_lock_wait_duration_seconds_bucket{" + lock + R"(,le="0.01"} 2)"));
  EXPECT_TRUE(has(text, "contend_lock_wait_duration_seconds_count{" + lock + "} 2"));
  EXPECT_TRUE(has(text, R"(contend_lock_acquisitions_total{lock="other",kind="mutex"} 7)"));
  EXPECT_EQ(text.find("condition"), std::string::npos);
  EXPECT_TRUE(has(
      text, R"(contend_process_info{pid=")" + std::to_string(getpid()) + R"(",trace="/tmp/app.trace"} 1)"));
  struct stat st;
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(PrometheusFileTest, SeriesAreBoundedAndNeverGoBack) {
  // One more contended lock than there are series: the least waited-for
  // one is counted under "other".
  Records first;
  for (uint64_t i = 0; i <= PrometheusFile::kMaxSeries; ++i) {
    first.wait(0x10000 + i * 64, 1000 * (i + 1));
    first.counts(0x10000 + i * 64, 5, 1);
  }
  std::string text = write(first);
  EXPECT_EQ(text.find(R"(address="0x10000")"), std::string::npos)
      << "the least waited-for lock has no series";
  EXPECT_TRUE(has(text, R"(contend_lock_acquisitions_total{lock="other",kind="mutex"} 5)"));
  // It waits most now, but the series are taken: "other" grows; the locks
  // with a series count everything (they had none in "other").
  Records second;
  second.wait(0x10000, 5000000);
  second.counts(0x10000, 100, 1);
  second.counts(0x10040, 3, 0);
  text = write(second);
  EXPECT_EQ(text.find(R"(address="0x10000")"), std::string::npos);
  EXPECT_TRUE(has(text, R"(contend_lock_acquisitions_total{lock="other",kind="mutex"} 105)")) << text;
  EXPECT_TRUE(
      has(text, R"(contend_lock_acquisitions_total{lock="0x10040",kind="mutex",address="0x10040"} 8)"));
}

TEST_F(PrometheusFileTest, OtherKeepsWhatItShowedOfALockThatGetsASeries) {
  Records quiet;
  quiet.counts(0x2000, 10, 0);  // never waited for: no series yet
  std::string text = write(quiet);
  EXPECT_TRUE(has(text, R"(contend_lock_acquisitions_total{lock="other",kind="mutex"} 10)")) << text;
  Records contended;
  contended.wait(0x2000, 1000);
  contended.counts(0x2000, 5, 1);
  text = write(contended);
  EXPECT_TRUE(has(text, R"(contend_lock_acquisitions_total{lock="other",kind="mutex"} 10)")) << text;
  EXPECT_TRUE(has(text, R"(contend_lock_acquisitions_total{lock="0x2000",kind="mutex",address="0x2000"} 5)"));
  EXPECT_TRUE(has(text, R"(contend_lock_contended_total{lock="0x2000",kind="mutex",address="0x2000"} 1)"));
}

}  // namespace
}  // namespace contend::preload
