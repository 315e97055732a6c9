// A single-producer single-consumer ring of variable-size trace records.
//
// The bytes in the ring are exactly the bytes of the file (RecordHeader +
// payload), so the drain copies spans without looking at them. A record never
// straddles the end of the buffer: when it would, the producer first fills
// the tail with a padding record (which the reader skips).
//
// Positions are free-running 64-bit byte counts; the head (producer) and tail
// (consumer) live on separate cache lines, and each side keeps a cached copy
// of the other's position so that it only touches the shared line when the
// ring looks full (producer) or empty (consumer).
#pragma once

#include <contend/trace_format.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace contend::preload {

class SpscRing {
 public:
  // `capacity` must be a power of two and at least 2 * kMaxRingRecord.
  static constexpr uint32_t kMaxRingRecord = 4096;

  void init(std::byte* buffer, uint32_t capacity) {
    buffer_ = buffer;
    capacity_ = capacity;
    mask_ = capacity - 1;
    head_.store(0, std::memory_order_relaxed);
    tail_.store(0, std::memory_order_relaxed);
    cached_tail_ = 0;
    cached_head_ = 0;
  }

  uint32_t capacity() const { return capacity_; }

  // Empties the ring; only when neither side is using it (after fork).
  void reset() { init(buffer_, capacity_); }

  // Producer: copies one record in. `size` is a multiple of 8 and at most
  // kMaxRingRecord. Returns false (and writes nothing) when the ring is full.
  bool push(const void* record, uint32_t size) {
    std::byte* dst = reserve(size);
    if (dst == nullptr) return false;
    std::memcpy(dst, record, size);
    commit(size);
    return true;
  }

  // Producer, two-step form for records built in place: reserve() returns
  // where to write `size` bytes, or nullptr when full; commit() publishes.
  std::byte* reserve(uint32_t size) {
    uint64_t head = head_.load(std::memory_order_relaxed);
    uint32_t offset = static_cast<uint32_t>(head & mask_);
    uint32_t to_end = capacity_ - offset;
    uint32_t needed = size <= to_end ? size : to_end + size;
    if (head + needed - cached_tail_ > capacity_) {
      cached_tail_ = tail_.load(std::memory_order_acquire);
      if (head + needed - cached_tail_ > capacity_) return nullptr;
    }
    if (size > to_end) {
      // Fill the tail with one padding record and publish it with the record.
      format::RecordHeader pad = format::padding_header(to_end);
      std::memcpy(buffer_ + offset, &pad, sizeof(pad));
      pending_pad_ = to_end;
      return buffer_;
    }
    pending_pad_ = 0;
    return buffer_ + offset;
  }

  void commit(uint32_t size) {
    uint64_t head = head_.load(std::memory_order_relaxed);
    head_.store(head + pending_pad_ + size, std::memory_order_release);
    pending_pad_ = 0;
  }

  // Consumer: the readable bytes as up to two spans (the second one begins
  // at the start of the buffer after a wrap).
  struct Readable {
    const std::byte* first = nullptr;
    size_t first_size = 0;
    const std::byte* second = nullptr;
    size_t second_size = 0;
    size_t total() const { return first_size + second_size; }
  };

  Readable peek() {
    uint64_t tail = tail_.load(std::memory_order_relaxed);
    if (cached_head_ == tail) cached_head_ = head_.load(std::memory_order_acquire);
    Readable r;
    uint64_t available = cached_head_ - tail;
    if (available == 0) return r;
    uint32_t offset = static_cast<uint32_t>(tail & mask_);
    uint32_t to_end = capacity_ - offset;
    r.first = buffer_ + offset;
    r.first_size = available < to_end ? available : to_end;
    if (available > to_end) {
      r.second = buffer_;
      r.second_size = available - to_end;
    }
    return r;
  }

  // Consumer: frees `bytes` read through peek().
  void release(size_t bytes) {
    tail_.store(tail_.load(std::memory_order_relaxed) + bytes, std::memory_order_release);
  }

  // Producer: bytes queued as last seen (an over-estimate, free to compute).
  uint64_t producer_fill_estimate() const { return head_.load(std::memory_order_relaxed) - cached_tail_; }

  // Producer: bytes queued now (reads the consumer's position).
  uint64_t producer_fill() {
    cached_tail_ = tail_.load(std::memory_order_acquire);
    return head_.load(std::memory_order_relaxed) - cached_tail_;
  }

  // Either side (for statistics only): bytes currently queued.
  uint64_t queued_bytes() const {
    return head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire);
  }

 private:
  // Producer line.
  alignas(64) std::atomic<uint64_t> head_{0};
  uint64_t cached_tail_ = 0;
  uint32_t pending_pad_ = 0;
  // Consumer line.
  alignas(64) std::atomic<uint64_t> tail_{0};
  uint64_t cached_head_ = 0;
  // Shared, read-only after init.
  alignas(64) std::byte* buffer_ = nullptr;
  uint32_t capacity_ = 0;
  uint32_t mask_ = 0;
};

}  // namespace contend::preload
