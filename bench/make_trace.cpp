// Writes a synthetic trace of N events for measuring the analyzer:
//   make_trace OUT EVENTS [LOCKS [THREADS [STACKS]]]
// A realistic mix: 60% waits, 25% sampled holds, 10% releases, the rest
// counters, over LOCKS locks and THREADS threads. Like real programs: a few
// hot locks (10) take 80% of the events, the rest spread over the others,
// and each lock is waited for from a few (4) of the STACKS stacks. Memory
// must stay flat while the event count grows. Uses the recorder's own
// writer.
#include "core/output/trace_writer.h"

#include <contend/trace_format.h>

#include <fcntl.h>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

using namespace contend;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: make_trace OUT EVENTS [LOCKS [THREADS [STACKS]]]\n");
    return 2;
  }
  uint64_t events = std::strtoull(argv[2], nullptr, 10);
  uint64_t locks = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1000;
  uint32_t threads = argc > 4 ? static_cast<uint32_t>(std::strtoul(argv[4], nullptr, 10)) : 64;
  uint64_t stacks = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 500;
  int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::perror(argv[1]);
    return 1;
  }
  auto* writer = new preload::TraceWriter();
  writer->open(fd, argv[1]);
  preload::HeaderInfo h;
  h.pid = 1;
  h.calib_ticks = 3;
  h.calib_ns = 1;
  h.clock_source = format::ClockSource::kTsc;
  h.exe_path = "/bin/synthetic";
  h.command_line = std::string("synthetic\0", 10);
  writer->write_header(h);
  for (uint64_t s = 1; s <= stacks; ++s) {
    struct {
      format::StackRecord r;
      uint64_t frames[8];
    } rec{};
    rec.r.header = format::make_header<format::StackRecord>(sizeof(rec));
    rec.r.id = s;
    rec.r.depth = 8;
    for (int i = 0; i < 8; ++i) rec.frames[i] = 0x400000 + s * 64 + static_cast<uint64_t>(i);
    writer->append(&rec, sizeof(rec), 1);
  }
  std::mt19937_64 rng(42);
  uint64_t now = 1000;
  for (uint64_t i = 0; i < events; ++i) {
    uint64_t r = rng();
    uint64_t hot = locks < 10 ? locks : 10;
    uint64_t lock_index = (r >> 56) % 100 < 80 || locks <= hot ? r % hot : hot + r % (locks - hot);
    uint64_t lock = 0x10000 + lock_index * 64;
    uint64_t stack = 1 + (lock_index * 4 + ((r >> 12) & 3)) % stacks;
    uint32_t tid = 1000 + static_cast<uint32_t>((r >> 20) % threads);
    now += 100 + (r >> 40) % 1000;
    uint64_t pick = (r >> 32) % 100;
    if (pick < 60) {
      format::WaitRecord w{};
      w.header = format::make_header<format::WaitRecord>();
      w.lock = lock;
      w.start = now;
      w.duration = 300 + (r >> 48) % 30000;
      w.tid = tid;
      w.stack_id = stack;
      w.wait_kind = static_cast<uint8_t>(format::WaitKind::kMutex);
      writer->append(w);
    } else if (pick < 85) {
      format::HoldRecord hr{};
      hr.header = format::make_header<format::HoldRecord>();
      hr.lock = lock;
      hr.site = 0x400000 + stack * 64;
      hr.duration = 100 + (r >> 50) % 5000;
      hr.tid = tid;
      hr.weight = 16;
      hr.wait_kind = static_cast<uint8_t>(format::WaitKind::kMutex);
      writer->append(hr);
    } else if (pick < 95) {
      format::ReleaseRecord rr{};
      rr.header = format::make_header<format::ReleaseRecord>();
      rr.lock = lock;
      rr.time = now;
      rr.caused = (r >> 48) % 30000;
      rr.acquire_site = 0x400000 + stack * 64;
      rr.tid = tid;
      rr.releases = 1;
      rr.wait_kind = static_cast<uint8_t>(format::WaitKind::kMutex);
      writer->append(rr);
    } else {
      format::LockCountsRecord c{};
      c.header = format::make_header<format::LockCountsRecord>();
      c.lock = lock;
      c.tid = tid;
      c.acquisitions = i;
      c.contended = i / 10;
      c.table_epoch = 1;
      c.wait_kind = static_cast<uint8_t>(format::WaitKind::kMutex);
      writer->append(c);
    }
  }
  format::FooterRecord f{};
  f.header = format::make_header<format::FooterRecord>();
  f.end_ticks = now;
  f.threads = threads;
  writer->append(f);
  writer->flush(true);
  writer->close();
  std::printf("%llu events, %llu bytes\n", static_cast<unsigned long long>(events + stacks + 1),
              static_cast<unsigned long long>(writer->bytes_on_disk()));
  return 0;
}
