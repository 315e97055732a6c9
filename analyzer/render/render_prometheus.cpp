// Prometheus text exposition format (version 0.0.4): per lock, counters of
// acquisitions, contended acquisitions, wait and hold seconds and a
// histogram of single waits; per waiting call site, its waits and wait
// seconds. Cardinality is bounded: the report's top locks (--top) and sites
// (--sites) get series of their own, the rest is summed into lock="other"
// (per kind) and site="other". Names and buckets are those of the
// recorder's live file (include/contend/metrics.h).
#include "render/render.h"

#include <contend/metrics.h>
#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

namespace contend::analyze {

namespace {

std::string escaped(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string seconds(uint64_t ns) {
  return fmt::format("{}.{:09}", ns / 1'000'000'000, ns % 1'000'000'000);
}

// One lock's series (or "other"): rows with the same labels are summed, as
// Prometheus would see them.
struct LockSeries {
  std::string labels;  // lock="...",kind="...",address="..."
  uint64_t acquisitions = 0;
  uint64_t contended = 0;
  uint64_t wait_ns = 0;
  uint64_t hold_ns = 0;
  uint64_t waits = 0;
  uint64_t buckets[metrics::kWaitBuckets] = {};
  std::map<std::string, SiteRow> sites;  // by site label text (sum of count and ns)

  void add(const LockRow& l, size_t site_limit) {
    acquisitions += l.counts.acquisitions;
    contended += l.counts.contended;
    wait_ns += l.wait_total_ns;
    hold_ns += l.hold.total_ns;
    waits += l.waits;
    for (size_t i = 0; i < l.wait_buckets.size() && i < metrics::kWaitBuckets; ++i)
      buckets[i] += l.wait_buckets[i];
    for (size_t i = 0; i < l.waiter_sites.size(); ++i) {
      const SiteRow& s = l.waiter_sites[i];
      SiteRow& acc = sites[i < site_limit ? s.label : "other"];
      acc.count += s.count;
      acc.ns += s.ns;
    }
  }
};

class Exposition {
 public:
  void family(const char* name, const char* type, const char* help) {
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  void line(const std::string& name, const std::string& labels, const std::string& value) {
    if (labels.empty()) {
      out_ += fmt::format("{} {}\n", name, value);
    } else {
      out_ += fmt::format("{}{{{}}} {}\n", name, labels, value);
    }
  }
  void line(const std::string& name, const std::string& labels, uint64_t value) {
    line(name, labels, fmt::format("{}", value));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

std::string render_prometheus(const Report& r, const RenderOptions& options) {
  std::vector<LockSeries> series;
  std::map<std::string, size_t> index;  // labels -> series
  bool several = r.processes.size() > 1;
  for (size_t rank = 0; rank < r.locks.size(); ++rank) {
    const LockRow& l = r.locks[rank];
    std::string kind(format::wait_kind_name(l.kind));
    std::string labels = rank < options.top
                             ? fmt::format("lock=\"{}\",kind=\"{}\",address=\"0x{:x}\"{}", escaped(l.name),
                                           kind, l.address, several ? fmt::format(",pid=\"{}\"", l.pid) : "")
                             : fmt::format("lock=\"other\",kind=\"{}\"", kind);
    auto [it, fresh] = index.try_emplace(labels, series.size());
    if (fresh) {
      series.emplace_back();
      series.back().labels = labels;
    }
    series[it->second].add(l, options.sites);
  }

  Exposition e;
  e.family(metrics::kAcquisitions, "counter", "Successful lock acquisitions, contended or not.");
  for (const LockSeries& s : series) e.line(metrics::kAcquisitions, s.labels, s.acquisitions);
  e.family(metrics::kContended, "counter", "Acquisitions that had to wait for another thread.");
  for (const LockSeries& s : series) e.line(metrics::kContended, s.labels, s.contended);
  e.family(metrics::kWaitSeconds, "counter", "Time threads spent waiting for the lock.");
  for (const LockSeries& s : series) e.line(metrics::kWaitSeconds, s.labels, seconds(s.wait_ns));
  e.family(metrics::kHoldSeconds, "counter", "Time the lock was held, estimated from sampled holds.");
  for (const LockSeries& s : series) e.line(metrics::kHoldSeconds, s.labels, seconds(s.hold_ns));
  e.family(metrics::kWaitDuration, "histogram", "Single waits for the lock (buckets to within 3%).");
  std::string bucket = std::string(metrics::kWaitDuration) + "_bucket";
  for (const LockSeries& s : series) {
    for (int i = 0; i < metrics::kWaitBuckets; ++i)
      e.line(bucket, fmt::format("{},le=\"{}\"", s.labels, metrics::kWaitBucketsLe[i]), s.buckets[i]);
    e.line(bucket, s.labels + ",le=\"+Inf\"", s.waits);
    e.line(std::string(metrics::kWaitDuration) + "_sum", s.labels, seconds(s.wait_ns));
    e.line(std::string(metrics::kWaitDuration) + "_count", s.labels, s.waits);
  }
  e.family("contend_site_waits_total", "counter", "Waits for the lock at a waiting call site.");
  for (const LockSeries& s : series)
    for (const auto& [site, acc] : s.sites)
      e.line("contend_site_waits_total", fmt::format("{},site=\"{}\"", s.labels, escaped(site)), acc.count);
  e.family("contend_site_wait_seconds_total", "counter", "Time spent waiting for the lock at a call site.");
  for (const LockSeries& s : series)
    for (const auto& [site, acc] : s.sites)
      e.line("contend_site_wait_seconds_total", fmt::format("{},site=\"{}\"", s.labels, escaped(site)),
             seconds(acc.ns));
  e.family("contend_threads", "gauge", "Threads profiled.");
  e.line("contend_threads", "", r.summary.threads);
  e.family("contend_dropped_events_total", "counter", "Events lost to full rings: counts are lower bounds.");
  e.line("contend_dropped_events_total", "", r.summary.dropped_events);
  return e.take();
}

}  // namespace contend::analyze
