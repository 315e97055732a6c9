#include "output/prometheus_counts.h"

#include "thread/lock_table.h"

#include <sys/mman.h>
#include <algorithm>
#include <cstring>

namespace contend::preload {

void PromTotals::add(const PromTotals& o, int sign) {
  auto step = [sign](uint64_t& a, uint64_t b) { a = sign > 0 ? a + b : a - b; };
  step(acquisitions, o.acquisitions);
  step(contended, o.contended);
  step(waits, o.waits);
  step(wait_ticks, o.wait_ticks);
  step(hold_ticks, o.hold_ticks);
  for (int i = 0; i < metrics::kWaitBuckets; ++i) step(buckets[i], o.buckets[i]);
}

bool PromCounts::init(uint64_t calib_ticks, uint64_t calib_ns) {
  ns_per_tick_ = calib_ticks == 0 ? 1.0 : static_cast<double>(calib_ns) / static_cast<double>(calib_ticks);
  for (int i = 0; i < metrics::kWaitBuckets; ++i)
    bucket_ticks_[i] = static_cast<uint64_t>(static_cast<double>(metrics::kWaitBucketsNs[i]) / ns_per_tick_);
  if (locks_ == nullptr) {
    size_t bytes = sizeof(PromLock) * kCapacity + sizeof(Name) * kNames;
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return false;
    locks_ = static_cast<PromLock*>(p);
    names_ = reinterpret_cast<Name*>(locks_ + kCapacity);
  }
  clear();
  return true;
}

void PromCounts::clear() {
  if (locks_ == nullptr) return;
  // Fresh anonymous pages read as zero: only what was used is written.
  for (uint32_t i = 0; i < kCapacity; ++i)
    if (locks_[i].key != 0) locks_[i] = PromLock{};
  for (uint32_t i = 0; i < kNames; ++i)
    if (names_[i].address != 0) names_[i].address = 0;
  for (PromTotals& o : overflow_) o = PromTotals{};
  for (PromTotals& o : overflow_live_) o = PromTotals{};
}

uint64_t PromCounts::ticks_to_ns(uint64_t ticks) const {
  return static_cast<uint64_t>(static_cast<double>(ticks) * ns_per_tick_ + 0.5);
}

PromLock* PromCounts::entry(uint64_t key) {
  if (LockTable::key_address(key) == 0) return nullptr;  // untracked: "other"
  uint32_t mask = kCapacity - 1;
  uint32_t i = static_cast<uint32_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & mask;
  for (uint32_t probe = 0; probe < 64; ++probe, i = (i + 1) & mask) {
    PromLock& e = locks_[i];
    if (e.key == key) return &e;
    if (e.key == 0) {
      e.key = key;
      return &e;
    }
  }
  return nullptr;
}

PromTotals& PromCounts::totals_for(uint64_t key, bool live) {
  if (PromLock* e = entry(key)) return live ? e->live : e->retired;
  uint32_t kind = static_cast<uint32_t>(LockTable::key_kind(key)) % format::kWaitKindCount;
  return live ? overflow_live_[kind] : overflow_[kind];
}

void PromCounts::add_counts(uint64_t key, uint64_t acquisitions, uint64_t contended, bool live) {
  if (LockTable::key_kind(key) == format::WaitKind::kCondition) return;  // not lock contention
  PromTotals& t = totals_for(key, live);
  t.acquisitions += acquisitions;
  t.contended += contended;
}

void PromCounts::add_table(const ThreadState& t, bool retire) {
  t.table.for_each_used([&](uint64_t key, const LockSlot& s) {
    LockCountValues counts = s.counts.snapshot();
    add_counts(key, counts.acquisitions, counts.contended, !retire);
  });
}

void PromCounts::retire(const ThreadState& t) {
  if (ready()) add_table(t, true);
}

void PromCounts::wait(const format::WaitRecord& r) {
  if (r.wait_kind == static_cast<uint8_t>(format::WaitKind::kCondition)) return;
  PromTotals& t = totals_for(
      LockTable::make_key(reinterpret_cast<const void*>(r.lock), static_cast<format::WaitKind>(r.wait_kind)),
      false);
  ++t.waits;
  t.wait_ticks += r.duration;
  for (int i = 0; i < metrics::kWaitBuckets; ++i)
    if (r.duration <= bucket_ticks_[i]) ++t.buckets[i];
}

void PromCounts::name(const std::byte* record, size_t size) {
  format::LockNameRecord r;
  std::memcpy(&r, record, sizeof(r));
  if (sizeof(r) + r.name_size > size || r.lock == 0) return;
  uint32_t mask = kNames - 1;
  uint32_t i = static_cast<uint32_t>((r.lock * 0x9E3779B97F4A7C15ull) >> 32) & mask;
  for (uint32_t probe = 0; probe < 16; ++probe, i = (i + 1) & mask) {
    Name& n = names_[i];
    if (n.address != 0 && n.address != r.lock) continue;
    n.address = r.lock;
    size_t len = std::min<size_t>(r.name_size, kNameBytes - 1);
    std::memcpy(n.text, record + sizeof(r), len);
    n.text[len] = '\0';
    return;
  }
}

const char* PromCounts::name_of(uint64_t address) const {
  uint32_t mask = kNames - 1;
  uint32_t i = static_cast<uint32_t>((address * 0x9E3779B97F4A7C15ull) >> 32) & mask;
  for (uint32_t probe = 0; probe < 16; ++probe, i = (i + 1) & mask) {
    if (names_[i].address == address) return names_[i].text;
    if (names_[i].address == 0) return nullptr;
  }
  return nullptr;
}

void PromCounts::observe(const std::byte* data, size_t size) {
  if (!ready()) return;
  using format::RecordKind;
  size_t off = 0;
  while (off + sizeof(format::RecordHeader) <= size) {
    format::RecordHeader h;
    std::memcpy(&h, data + off, sizeof(h));
    if (h.size < sizeof(h) || off + h.size > size) break;  // cannot happen for our own rings
    const std::byte* rec = data + off;
    auto kind = static_cast<RecordKind>(h.kind);
    if (kind == RecordKind::kWait && h.size >= sizeof(format::WaitRecord)) {
      format::WaitRecord r;
      std::memcpy(&r, rec, sizeof(r));
      wait(r);
    } else if (kind == RecordKind::kHold && h.size >= sizeof(format::HoldRecord)) {
      format::HoldRecord r;
      std::memcpy(&r, rec, sizeof(r));
      if (r.wait_kind != static_cast<uint8_t>(format::WaitKind::kCondition))
        totals_for(LockTable::make_key(reinterpret_cast<const void*>(r.lock),
                                       static_cast<format::WaitKind>(r.wait_kind)),
                   false)
            .hold_ticks += r.duration * (r.weight == 0 ? 1 : r.weight);
    } else if ((kind == RecordKind::kLockCounts || kind == RecordKind::kUntracked) &&
               h.size >= sizeof(format::LockCountsRecord)) {
      // Pushed by the thread itself: counts its table no longer holds.
      format::LockCountsRecord r;
      std::memcpy(&r, rec, sizeof(r));
      add_counts(LockTable::make_key(reinterpret_cast<const void*>(r.lock),
                                     static_cast<format::WaitKind>(r.wait_kind)),
                 r.acquisitions, r.contended, false);
    } else if (kind == RecordKind::kLockName && h.size >= sizeof(format::LockNameRecord)) {
      name(rec, h.size);
    }
    off += h.size;
  }
}

PromTotals PromCounts::overflow_total(uint32_t kind) const {
  PromTotals t = overflow_[kind];
  t.add(overflow_live_[kind]);
  return t;
}

}  // namespace contend::preload
