#include "record/lock_identity.h"

#include "record/acquisition.h"
#include "record/lock_registry.h"
#include "record/stack_capture.h"

#include <algorithm>
#include <cstring>

namespace contend::preload {

void lock_initialized(ThreadState& t, const void* lock, format::WaitKind kind) {
  LockEntry* e = lock_registry().find_or_insert(lock);
  if (e == nullptr) return;
  ScopedErrno keep_errno;
  // Initialized again without a destroy in between (or memory reused): a
  // new lock at an old address.
  uint32_t generation = e->generation.load(std::memory_order_acquire);
  if (e->born.exchange(1, std::memory_order_acq_rel) != 0) {
    generation += 1;
    e->generation.store(generation, std::memory_order_release);
    g_generation_epoch.fetch_add(1, std::memory_order_release);
  }
  push_lock_birth(t, lock, kind, generation, format::LockBirth::kInit);
}

void lock_destroyed(ThreadState&, const void* lock) {
  LockEntry* e = lock_registry().find(lock);
  if (e == nullptr) return;
  // What is used at this address from now on is another lock.
  e->generation.fetch_add(1, std::memory_order_acq_rel);
  e->born.store(0, std::memory_order_release);
  g_generation_epoch.fetch_add(1, std::memory_order_release);
}

void name_lock(ThreadState& t, const void* lock, const char* name) {
  if (name == nullptr) return;
  ScopedErrno keep_errno;  // the record may start the drain
  LockEntry* e = lock_registry().find_or_insert(lock);
  uint32_t size = static_cast<uint32_t>(std::min<size_t>(std::strlen(name), format::kMaxLockName));
  uint32_t total = format::align_up(static_cast<uint32_t>(sizeof(format::LockNameRecord)) + size);
  std::byte* dst = t.ring.reserve(total);
  if (dst == nullptr) {
    t.count_drop(static_cast<uint8_t>(format::RecordKind::kLockName));
    return;
  }
  format::LockNameRecord r{};
  r.header = format::make_header<format::LockNameRecord>(total);
  r.lock = reinterpret_cast<uint64_t>(lock);
  r.generation = e != nullptr ? e->generation.load(std::memory_order_acquire) : 0;
  r.name_size = static_cast<uint16_t>(size);
  std::memset(dst, 0, total);
  std::memcpy(dst, &r, sizeof(r));
  std::memcpy(dst + sizeof(r), name, size);
  t.ring.commit(total);
  bump(t.produced);
}

void name_thread(ThreadState& t, const char* name) {
  if (name == nullptr) return;
  push_thread_name(t, t.tid, name);
}

void push_thread_name(ThreadState& t, uint32_t tid, const char* name) {
  ScopedErrno keep_errno;  // the record may start the drain
  format::ThreadNameRecord r{};
  r.header = format::make_header<format::ThreadNameRecord>();
  r.tid = tid;
  r.time = now_ticks();
  std::strncpy(r.name, name, sizeof(r.name) - 1);
  t.push(r);
}

}  // namespace contend::preload
