// pprof: a gzipped profile.proto (github.com/google/pprof/proto), in the
// shape of Go's mutex and block profiles, so that `go tool pprof`,
// Pyroscope, Parca and Grafana read it as they read Go's. The message
// classes are generated at build time from the profile.proto Debian ships.
#include "render/render.h"
#include "render/utf8.h"

#include "profile.pb.h"

#include <contend/trace_format.h>
#include <fmt/format.h>
#include <zlib.h>

#include <map>
#include <stdexcept>
#include <tuple>

namespace contend::analyze {

namespace {

namespace pb = perftools::profiles;

// The string table: index 0 is "", as the format requires.
class Strings {
 public:
  explicit Strings(pb::Profile& p) : p_(p) { (*this)(""); }
  int64_t operator()(const std::string& raw) {
    std::string s = valid_utf8(raw);  // protobuf strings are UTF-8; names from a trace are bytes
    auto [it, fresh] = index_.try_emplace(s, static_cast<int64_t>(index_.size()));
    if (fresh) p_.add_string_table(s);
    return it->second;
  }

 private:
  pb::Profile& p_;
  std::map<std::string, int64_t> index_;
};

std::string gzip(const std::string& data) {
  z_stream z{};
  // 15 window bits, +16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib: deflateInit2 failed");
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
  return out;
}

class ProfileWriter {
 public:
  explicit ProfileWriter(const Report& r) : r_(r), str_(p_) {}

  pb::Profile build() {
    value_type(p_.add_sample_type(), "contentions", "count");
    value_type(p_.add_sample_type(), "delay", "nanoseconds");
    value_type(p_.add_sample_type(), "hold", "nanoseconds");
    value_type(p_.mutable_period_type(), "contentions", "count");
    p_.set_period(1);
    p_.set_default_sample_type(str_("delay"));
    if (!r_.processes.empty())
      p_.set_time_nanos(static_cast<int64_t>(r_.processes.front().start_realtime_ns));
    p_.set_duration_nanos(static_cast<int64_t>(r_.summary.wall_ns));
    p_.add_comment(
        str_(fmt::format("contend-report {}: lock contention of {}", CONTEND_VERSION, r_.summary.program)));
    for (const ProfileModule& m : r_.profile.modules) mapping(m);
    for (size_t i = 0; i < r_.profile.locations.size(); ++i) location(i);
    for (const LockRow& l : r_.locks)
      for (const ProfileSample& s : l.profile) sample(l, s);
    return std::move(p_);
  }

 private:
  void value_type(pb::ValueType* v, const char* type, const char* unit) {
    v->set_type(str_(type));
    v->set_unit(str_(unit));
  }

  void mapping(const ProfileModule& m) {
    pb::Mapping* pm = p_.add_mapping();
    pm->set_id(static_cast<uint64_t>(p_.mapping_size()));
    pm->set_memory_start(m.start);
    pm->set_memory_limit(m.limit);
    pm->set_filename(str_(m.path));
    pm->set_build_id(str_(m.build_id));
    // Locations carry their symbols: pprof must not look them up again.
    pm->set_has_functions(true);
    pm->set_has_filenames(true);
    pm->set_has_line_numbers(true);
    pm->set_has_inline_frames(true);
  }

  uint64_t function(const std::string& name, const std::string& file) {
    auto [it, fresh] = functions_.try_emplace({name, file}, functions_.size() + 1);
    if (fresh) {
      pb::Function* f = p_.add_function();
      f->set_id(it->second);
      f->set_name(str_(name));
      f->set_system_name(str_(name));
      f->set_filename(str_(file));
    }
    return it->second;
  }

  void location(size_t index) {
    const ProfileLocation& l = r_.profile.locations[index];
    pb::Location* pl = p_.add_location();
    pl->set_id(index + 1);
    if (l.module >= 0) pl->set_mapping_id(static_cast<uint64_t>(l.module) + 1);
    pl->set_address(l.address);
    if (l.lines.empty()) {
      pl->add_line()->set_function_id(function(l.fallback, ""));
      return;
    }
    for (const ProfileLine& line : l.lines) {
      pb::Line* pline = pl->add_line();
      pline->set_function_id(function(line.function.empty() ? l.fallback : line.function, line.file));
      pline->set_line(line.line);
    }
  }

  void label(pb::Sample* s, const char* key, const std::string& value) {
    pb::Label* l = s->add_label();
    l->set_key(str_(key));
    l->set_str(str_(value));
  }

  void sample(const LockRow& lock, const ProfileSample& s) {
    pb::Sample* ps = p_.add_sample();
    for (uint32_t loc : s.locations) ps->add_location_id(uint64_t{loc} + 1);
    ps->add_value(static_cast<int64_t>(s.waits));
    ps->add_value(static_cast<int64_t>(s.wait_ns));
    ps->add_value(static_cast<int64_t>(s.hold_ns));
    label(ps, "lock", lock.name);
    label(ps, "kind", std::string(format::wait_kind_name(lock.kind)));
    // The address joins this profile with the live Prometheus metrics
    // (CONTEND_PROM_FILE) and with the JSON report.
    label(ps, "lock_address", fmt::format("0x{:x}", lock.address));
    if (s.tid != 0) {
      label(ps, "thread", s.thread.empty() ? fmt::format("tid {}", s.tid) : s.thread);
      pb::Label* tid = ps->add_label();
      tid->set_key(str_("tid"));
      tid->set_num(s.tid);
    }
    if (r_.processes.size() > 1) {
      pb::Label* pid = ps->add_label();
      pid->set_key(str_("pid"));
      pid->set_num(s.pid);
    }
  }

  const Report& r_;
  pb::Profile p_;
  Strings str_;
  std::map<std::pair<std::string, std::string>, uint64_t> functions_;
};

}  // namespace

std::string render_pprof(const Report& report, const RenderOptions&) {
  pb::Profile profile = ProfileWriter(report).build();
  std::string raw;
  if (!profile.SerializeToString(&raw))
    throw std::runtime_error("pprof: the profile could not be serialized");
  return gzip(raw);
}

}  // namespace contend::analyze
