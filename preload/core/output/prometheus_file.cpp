#include "output/prometheus_file.h"

#include "base/clock.h"
#include "base/warn.h"
#include "thread/lock_table.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstring>

namespace contend::preload {

namespace {

// Appends to a fixed buffer; a text that does not fit is not written.
class Text {
 public:
  Text(char* buf, size_t cap) : buf_(buf), cap_(cap) {}
  Text& operator<<(const char* s) {
    size_t n = std::strlen(s);
    if (len_ + n > cap_) {
      full_ = true;
      return *this;
    }
    std::memcpy(buf_ + len_, s, n);
    len_ += n;
    return *this;
  }
  Text& operator<<(uint64_t v) {
    char out[21];
    int i = 20;
    out[i] = '\0';
    do out[--i] = static_cast<char>('0' + v % 10);
    while ((v /= 10) != 0);
    return *this << static_cast<const char*>(out + i);
  }
  Text& seconds(uint64_t ns) {
    *this << ns / 1000000000 << ".";
    char frac[10];
    uint64_t f = ns % 1000000000;
    for (int i = 8; i >= 0; --i, f /= 10) frac[i] = static_cast<char>('0' + f % 10);
    frac[9] = '\0';
    return *this << static_cast<const char*>(frac);
  }
  Text& hex(uint64_t v) {
    char out[19] = "0x";
    int n = 0;
    for (uint64_t x = v; x != 0 || n == 0; x >>= 4) ++n;
    for (int i = 0; i < n; ++i) out[2 + n - 1 - i] = "0123456789abcdef"[(v >> (4 * i)) & 0xf];
    out[2 + n] = '\0';
    return *this << static_cast<const char*>(out);
  }
  // A label value: backslash, quote and newline escaped.
  Text& escaped(const char* s) {
    for (; *s != '\0'; ++s) {
      char c[3] = {*s, '\0', '\0'};
      if (*s == '\\' || *s == '"') c[0] = '\\', c[1] = *s;
      if (*s == '\n') c[0] = '\\', c[1] = 'n';
      *this << static_cast<const char*>(c);
    }
    return *this;
  }
  size_t size() const { return len_; }
  bool full() const { return full_; }

 private:
  char* buf_;
  size_t cap_;
  size_t len_ = 0;
  bool full_ = false;
};

// A series: its labels and its values at this write.
struct Series {
  const PromLock* lock;  // nullptr: "other"
  uint32_t kind;
  PromTotals value;
};

void labels(Text& t, const Series& s, const PromCounts& counts) {
  const char* kind = format::wait_kind_name(static_cast<format::WaitKind>(s.kind));
  if (s.lock == nullptr) {
    t << "lock=\"other\",kind=\"" << kind << "\"";
    return;
  }
  uint64_t address = LockTable::key_address(s.lock->key);
  t << "lock=\"";
  if (const char* name = counts.name_of(address)) {
    t.escaped(name);
  } else {
    t.hex(address);
  }
  t << "\",kind=\"" << kind << "\",address=\"";
  t.hex(address) << "\"";
}

PromTotals current(const PromLock& e) {
  PromTotals t = e.retired;
  t.add(e.live);
  return t;
}

// Counters never go back: a table being spilled while we read it may show
// a count late (or early) by one flush period.
void clamp(PromTotals& v, PromTotals& published) {
  auto keep = [](uint64_t& a, uint64_t& p) { p = a = std::max(a, p); };
  keep(v.acquisitions, published.acquisitions);
  keep(v.contended, published.contended);
  keep(v.waits, published.waits);
  keep(v.wait_ticks, published.wait_ticks);
  keep(v.hold_ticks, published.hold_ticks);
  for (int i = 0; i < metrics::kWaitBuckets; ++i) keep(v.buckets[i], published.buckets[i]);
}

}  // namespace

PrometheusFile& prometheus_file() {
  static constinit PrometheusFile file;
  return file;
}

void PrometheusFile::configure(const char* pattern, uint32_t period_ms, uint64_t calib_ticks,
                               uint64_t calib_ns) {
  enabled_ = false;
  forgotten_ = false;
  admitted_ = 0;
  last_write_ns_ = 0;
  for (PromTotals& p : other_published_) p = PromTotals{};
  if (pattern == nullptr || *pattern == '\0') return;
  if (std::strlen(pattern) >= kMaxPath - 32) {
    warn("CONTEND_PROM_FILE is too long; no Prometheus file");
    return;
  }
  std::strcpy(pattern_, pattern);
  period_ns_ = uint64_t{period_ms} * 1000000;
  if (text_ == nullptr) {
    void* p = mmap(nullptr, kTextBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) p = nullptr;
    text_ = static_cast<char*>(p);
  }
  if (text_ == nullptr || !counts_.init(calib_ticks, calib_ns)) {
    warn("cannot map memory for the Prometheus file; no Prometheus file");
    return;
  }
  enabled_ = true;
}

void PrometheusFile::maybe_write(ThreadRegistry& registry, const char* trace_path, uint64_t dropped,
                                 bool now) {
  if (!enabled_) return;
  if (forgotten_) {
    counts_.clear();
    for (PromTotals& p : other_published_) p = PromTotals{};
    admitted_ = 0;
    last_write_ns_ = 0;
    forgotten_ = false;
  }
  uint64_t t = monotonic_ns();
  if (!now && last_write_ns_ != 0 && t - last_write_ns_ < period_ns_) return;
  last_write_ns_ = t;
  write(registry, trace_path, dropped);
}

void PrometheusFile::write(ThreadRegistry& registry, const char* trace_path, uint64_t dropped) {
  uint32_t live_threads = 0;
  counts_.collect_live([&](auto&& add) {
    registry.for_each_live([&](ThreadState& th, SlotState state) {
      if (state == SlotState::kActive) ++live_threads;
      dropped += th.total_dropped();
      add(th);
    });
  });
  PromLock* locks = counts_.locks();
  // Admit the most waited-for locks while series are left.
  while (admitted_ < kMaxSeries) {
    PromLock* best = nullptr;
    uint64_t best_wait = 0;
    for (uint32_t i = 0; i < PromCounts::kCapacity; ++i) {
      PromLock& e = locks[i];
      if (e.key == 0 || e.admitted) continue;
      PromTotals v = current(e);
      if (v.waits == 0 && v.contended == 0) continue;
      if (best == nullptr || v.wait_ticks > best_wait) best = &e, best_wait = v.wait_ticks;
    }
    if (best == nullptr) break;
    // Its series counts what "other" has not shown yet (its baseline).
    best->admitted = true;
    ++admitted_;
  }
  Series series[kMaxSeries + format::kWaitKindCount];
  size_t n = 0;
  PromTotals other[format::kWaitKindCount];
  for (uint32_t k = 1; k < format::kWaitKindCount; ++k) other[k] = counts_.overflow_total(k);
  for (uint32_t i = 0; i < PromCounts::kCapacity; ++i) {
    PromLock& e = locks[i];
    if (e.key == 0) continue;
    uint32_t kind = static_cast<uint32_t>(LockTable::key_kind(e.key)) % format::kWaitKindCount;
    PromTotals v = current(e);
    if (!e.admitted) {
      other[kind].add(v);
      e.baseline = v;  // what "other" shows of it
      continue;
    }
    other[kind].add(e.baseline);
    v.add(e.baseline, -1);
    clamp(v, e.published);
    if (n < kMaxSeries) series[n++] = Series{&e, kind, v};
  }
  for (uint32_t k = 1; k < format::kWaitKindCount; ++k) {
    if (other[k].acquisitions == 0 && other[k].waits == 0 && other_published_[k].acquisitions == 0) continue;
    clamp(other[k], other_published_[k]);
    series[n++] = Series{nullptr, k, other[k]};
  }

  Text text(text_, kTextBytes);
  auto family = [&](const char* name, const char* type, const char* help) {
    text << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
  };
  auto line = [&](const char* name, const Series& s) -> Text& {
    text << name << "{";
    labels(text, s, counts_);
    return text << "} ";
  };
  family(metrics::kAcquisitions, "counter", "Successful lock acquisitions, contended or not.");
  for (size_t i = 0; i < n; ++i)
    line(metrics::kAcquisitions, series[i]) << series[i].value.acquisitions << "\n";
  family(metrics::kContended, "counter", "Acquisitions that had to wait for another thread.");
  for (size_t i = 0; i < n; ++i) line(metrics::kContended, series[i]) << series[i].value.contended << "\n";
  family(metrics::kWaitSeconds, "counter", "Time threads spent waiting for the lock.");
  for (size_t i = 0; i < n; ++i)
    line(metrics::kWaitSeconds, series[i]).seconds(counts_.ticks_to_ns(series[i].value.wait_ticks)) << "\n";
  family(metrics::kHoldSeconds, "counter", "Time the lock was held, estimated from sampled holds.");
  for (size_t i = 0; i < n; ++i)
    line(metrics::kHoldSeconds, series[i]).seconds(counts_.ticks_to_ns(series[i].value.hold_ticks)) << "\n";
  family(metrics::kWaitDuration, "histogram", "Single waits for the lock.");
  for (size_t i = 0; i < n; ++i) {
    const Series& s = series[i];
    for (int b = 0; b <= metrics::kWaitBuckets; ++b) {
      text << metrics::kWaitDuration << "_bucket{";
      labels(text, s, counts_);
      text << ",le=\"" << (b < metrics::kWaitBuckets ? metrics::kWaitBucketsLe[b] : "+Inf") << "\"} "
           << (b < metrics::kWaitBuckets ? s.value.buckets[b] : s.value.waits) << "\n";
    }
    text << metrics::kWaitDuration << "_sum{";
    labels(text, s, counts_);
    text << "} ";
    text.seconds(counts_.ticks_to_ns(s.value.wait_ticks)) << "\n";
    text << metrics::kWaitDuration << "_count{";
    labels(text, s, counts_);
    text << "} " << s.value.waits << "\n";
  }
  family("contend_threads", "gauge", "Profiled threads running.");
  text << "contend_threads " << uint64_t{live_threads} << "\n";
  family("contend_threads_started_total", "counter", "Threads profiled since the start.");
  text << "contend_threads_started_total " << uint64_t{registry.threads_seen()} << "\n";
  family("contend_threads_unprofiled_total", "counter", "Threads past CONTEND_MAX_THREADS, not profiled.");
  text << "contend_threads_unprofiled_total " << uint64_t{registry.threads_refused()} << "\n";
  family("contend_dropped_events_total", "counter", "Events lost to full rings: counts are lower bounds.");
  text << "contend_dropped_events_total " << dropped << "\n";
  family("contend_process_info", "gauge", "This process and the trace to report on (contend-report TRACE).");
  text << "contend_process_info{pid=\"" << static_cast<uint64_t>(getpid()) << "\",trace=\"";
  text.escaped(trace_path) << "\"} 1\n";
  if (text.full()) {
    warn("the Prometheus file's text exceeds 256 KiB; not written");
    return;
  }
  replace_file(text_, text.size());
}

void PrometheusFile::fail(const char* what, const char* path, int error) {
  char message[kMaxPath + 256];
  Text t(message, sizeof(message) - 1);
  t << what << " " << path << ": " << std::strerror(error) << "; no more Prometheus file";
  message[t.size()] = '\0';
  warn(message);
  enabled_ = false;
}

bool PrometheusFile::replace_file(const char* text, size_t size) {
  // PATH (with %p expanded), and PATH.tmp.PID beside it: a name the
  // textfile collector (*.prom) never reads.
  char path[kMaxPath], tmp[kMaxPath + 32];
  Text p(path, sizeof(path) - 1);
  for (const char* c = pattern_; *c != '\0'; ++c) {
    if (c[0] == '%' && c[1] == 'p') {
      p << static_cast<uint64_t>(getpid());
      ++c;
    } else if (c[0] == '%' && c[1] == '%') {
      p << "%";
      ++c;
    } else {
      char one[2] = {*c, '\0'};
      p << static_cast<const char*>(one);
    }
  }
  path[p.size()] = '\0';
  Text q(tmp, sizeof(tmp) - 1);
  q << static_cast<const char*>(path) << ".tmp." << static_cast<uint64_t>(getpid());
  tmp[q.size()] = '\0';
  constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  int fd = open(tmp, kFlags, 0600);
  struct stat st;
  if (fd < 0 && errno == EEXIST && lstat(tmp, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid()) {
    // Ours, left by a process of this pid that was killed mid-write.
    unlink(tmp);
    fd = open(tmp, kFlags, 0600);
  }
  if (fd < 0) {
    fail("cannot create", tmp, errno);
    return false;
  }
  size_t done = 0;
  while (done < size) {
    ssize_t w = ::write(fd, text + done, size - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      int error = w < 0 ? errno : ENOSPC;
      close(fd);
      unlink(tmp);
      fail("cannot write", tmp, error);
      return false;
    }
    done += static_cast<size_t>(w);
  }
  close(fd);
  if (rename(tmp, path) != 0) {
    int error = errno;
    unlink(tmp);
    fail("cannot rename the Prometheus file to", path, error);
    return false;
  }
  return true;
}

}  // namespace contend::preload
