#include "render/render_dump.h"

#include "model/clock_model.h"
#include "read/trace_reader.h"

#include <fmt/format.h>

#include <cstring>

namespace contend::analyze {

namespace {

std::string describe(const RecordView& v, const ClockModel& clock) {
  using format::RecordKind;
  auto at = [&](uint64_t ticks) {
    return fmt::format("{:>14.6f}", static_cast<double>(clock.since_start_ns(ticks)) / 1e9);
  };
  switch (v.kind) {
    case RecordKind::kThreadStart: {
      auto r = v.as<format::ThreadStartRecord>();
      return fmt::format("{} tid={} creator={}", at(r.time), r.tid, r.creator_tid);
    }
    case RecordKind::kThreadEnd: {
      auto r = v.as<format::ThreadEndRecord>();
      return fmt::format("{} tid={} cpu_ns={} name=\"{}\"{}", at(r.time), r.tid, r.cpu_ns,
                         std::string(r.name, strnlen(r.name, sizeof(r.name))),
                         (r.flags & format::kThreadEndAtProcessExit) != 0 ? " running-at-exit" : "");
    }
    case RecordKind::kWait: {
      auto r = v.as<format::WaitRecord>();
      return fmt::format("{} tid={} lock=0x{:x} gen={} kind={} wait_ns={} owner={} stack={}{}{}{}{}",
                         at(r.start), r.tid, r.lock, r.lock_generation,
                         format::wait_kind_name(static_cast<format::WaitKind>(r.wait_kind)),
                         clock.to_ns(r.duration), r.owner_tid, r.stack_id,
                         r.related != 0 ? fmt::format(" mutex=0x{:x}", r.related) : std::string(),
                         (r.flags & format::kWaitTimedOut) != 0 ? " timed-out" : "",
                         (r.flags & format::kWaitInterrupted) != 0 ? " interrupted" : "",
                         (r.flags & format::kWaitStackReused) != 0 ? " stack-reused" : "");
    }
    case RecordKind::kLockCounts:
    case RecordKind::kUntracked: {
      auto r = v.as<format::LockCountsRecord>();
      return fmt::format(
          "tid={} epoch={} lock=0x{:x} gen={} kind={} acquisitions={} contended={} "
          "trylock_failures={}",
          r.tid, r.table_epoch, r.lock, r.lock_generation,
          format::wait_kind_name(static_cast<format::WaitKind>(r.wait_kind)), r.acquisitions, r.contended,
          r.trylock_failures);
    }
    case RecordKind::kThreadName: {
      auto r = v.as<format::ThreadNameRecord>();
      return fmt::format("{} tid={} name=\"{}\"", at(r.time), r.tid,
                         std::string(r.name, strnlen(r.name, sizeof(r.name))));
    }
    case RecordKind::kClockSync: {
      auto r = v.as<format::ClockSyncRecord>();
      return fmt::format("{} ticks={} monotonic_ns={}", at(r.ticks), r.ticks, r.monotonic_ns);
    }
    case RecordKind::kDrops: {
      auto r = v.as<format::DropsRecord>();
      std::string out = fmt::format("tid={}", r.tid);
      for (uint32_t k = 0; k < format::kDropClasses; ++k) {
        if (r.dropped[k] == 0) continue;
        out += fmt::format(" {}={}", format::kind_name(static_cast<format::RecordKind>(k)), r.dropped[k]);
      }
      return out;
    }
    case RecordKind::kCost: {
      auto r = v.as<format::CostRecord>();
      return fmt::format("pair_ps={} wait_ps={} stack_ps={} hold_ps={} reused_stack_ps={}", r.pair_ps,
                         r.wait_ps, r.stack_ps, r.hold_ps, r.reused_stack_ps);
    }
    case RecordKind::kQuality: {
      auto r = v.as<format::QualityRecord>();
      return fmt::format("records_lost={} lock_registry_misses={}", r.records_lost, r.lock_registry_misses);
    }
    case RecordKind::kFooter: {
      auto r = v.as<format::FooterRecord>();
      std::string out =
          fmt::format("{} reason={} threads={} unprofiled={} dropped={} records={}", at(r.end_ticks),
                      r.reason, r.threads, r.threads_unprofiled, r.dropped_events, r.records_written);
      size_t room = (v.bytes.size() - sizeof(r)) / sizeof(format::ThreadDrops);
      for (size_t i = 0; i < std::min<size_t>(r.thread_drop_count, room); ++i) {
        format::ThreadDrops d;
        std::memcpy(&d, v.bytes.data() + sizeof(r) + i * sizeof(d), sizeof(d));
        out += fmt::format(" drops[tid {}]={}", d.tid, d.dropped);
      }
      return out;
    }
    case RecordKind::kStack: {
      auto r = v.as<format::StackRecord>();
      std::string out = fmt::format("id={:016x} depth={}", r.id, r.depth);
      for (uint32_t i = 0; i < r.depth && sizeof(r) + (i + 1) * 8 <= v.bytes.size(); ++i) {
        uint64_t pc;
        std::memcpy(&pc, v.bytes.data() + sizeof(r) + i * 8, 8);
        out += fmt::format(" 0x{:x}", pc);
      }
      return out;
    }
    case RecordKind::kModule: {
      auto r = v.as<format::ModuleRecord>();
      size_t path_at = sizeof(r) + size_t{r.segment_count} * sizeof(format::ModuleSegment);
      std::string path;
      if (path_at + r.path_size <= v.bytes.size())
        path.assign(reinterpret_cast<const char*>(v.bytes.data()) + path_at, r.path_size);
      return fmt::format("{} id={} base=0x{:x} segments={} {}", at(r.time), r.module_id, r.base,
                         r.segment_count, (r.flags & format::kModuleUnloaded) != 0 ? "unloaded" : path);
    }
    case RecordKind::kLockInfo: {
      auto r = v.as<format::LockInfoRecord>();
      static constexpr const char* kBirth[] = {"?", "init", "first-use", "destroyed"};
      return fmt::format("{} tid={} lock=0x{:x} gen={} kind={} birth={} stack={:016x}", at(r.time), r.tid,
                         r.lock, r.generation,
                         format::wait_kind_name(static_cast<format::WaitKind>(r.lock_kind)),
                         kBirth[r.birth < 4 ? r.birth : 0], r.birth_stack);
    }
    case RecordKind::kLockName: {
      auto r = v.as<format::LockNameRecord>();
      std::string name;
      if (sizeof(r) + r.name_size <= v.bytes.size())
        name.assign(reinterpret_cast<const char*>(v.bytes.data()) + sizeof(r), r.name_size);
      return fmt::format("lock=0x{:x} gen={} name=\"{}\"", r.lock, r.generation, name);
    }
    case RecordKind::kHold: {
      auto r = v.as<format::HoldRecord>();
      return fmt::format("tid={} lock=0x{:x} gen={} kind={} hold_ns={} site=0x{:x} weight={}", r.tid, r.lock,
                         r.generation, format::wait_kind_name(static_cast<format::WaitKind>(r.wait_kind)),
                         clock.to_ns(r.duration), r.site, r.weight);
    }
    case RecordKind::kRelease: {
      auto r = v.as<format::ReleaseRecord>();
      return fmt::format(
          "{} tid={} lock=0x{:x} gen={} releases={} waiters={} caused_ns={} stack={:016x} "
          "acquired_at=0x{:x}",
          at(r.time), r.tid, r.lock, r.generation, r.releases, r.waiters, clock.to_ns(r.caused), r.stack_id,
          r.acquire_site);
    }
    case RecordKind::kConfig: {
      auto r = v.as<format::ConfigRecord>();
      return fmt::format("hold_sample_every={} hold_sample_rate={} stack_depth={}", r.hold_sample_every,
                         r.hold_sample_rate, r.stack_depth);
    }
    case RecordKind::kPadding: break;
  }
  return {};
}

}  // namespace

void dump_trace(const std::string& path, std::FILE* out) {
  TraceReader reader(path);
  const TraceHeader& h = reader.open();
  ClockModel clock;
  clock.set_header(h.raw);
  std::string argv;
  for (const std::string& a : h.argv) argv += (argv.empty() ? "" : " ") + a;
  fmt::print(out,
             "# trace {} format v{}\n# pid {} ppid {} exe {}\n# argv {}\n# clock {} ({} ns per {} ticks)\n",
             path, h.raw.version, h.raw.pid, h.raw.ppid, h.exe_path, argv,
             h.raw.clock_source == static_cast<uint8_t>(format::ClockSource::kTsc) ? "tsc" : "monotonic",
             h.raw.calib_ns, h.raw.calib_ticks);
  ReadSummary s = reader.read([&](const RecordView& v) {
    fmt::print(out, "{:>10} {:>8} {:<12} {}\n", v.offset, v.index, format::kind_name(v.kind),
               describe(v, clock));
  });
  fmt::print(out, "# {} records, {} bytes{}\n", s.records, s.bytes,
             s.truncated ? fmt::format(", truncated at byte {}", s.truncated_at) : std::string());
}

}  // namespace contend::analyze
