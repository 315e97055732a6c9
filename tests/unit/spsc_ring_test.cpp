#include "core/thread/spsc_ring.h"
#include "core/thread/thread_state.h"

#include <gtest/gtest.h>

#include <cstring>
#include <thread>
#include <vector>

namespace contend::preload {
namespace {

using format::RecordHeader;

// A test record: header + sequence number + filler to vary the size.
std::vector<std::byte> make_record(uint64_t seq, uint32_t size) {
  std::vector<std::byte> r(size, std::byte{0});
  RecordHeader h{format::kRecordSync, 200, 0, size};
  std::memcpy(r.data(), &h, sizeof(h));
  std::memcpy(r.data() + sizeof(h), &seq, sizeof(seq));
  for (uint32_t i = 16; i < size; ++i) r[i] = static_cast<std::byte>(seq + i);
  return r;
}

// Walks the readable bytes, skipping padding; returns the sequence numbers.
std::vector<uint64_t> take_all(SpscRing& ring) {
  std::vector<uint64_t> seqs;
  SpscRing::Readable r = ring.peek();
  for (auto [data, size] : {std::pair{r.first, r.first_size}, std::pair{r.second, r.second_size}}) {
    size_t off = 0;
    while (off < size) {
      RecordHeader h;
      std::memcpy(&h, data + off, sizeof(h));
      EXPECT_EQ(h.sync, format::kRecordSync);
      EXPECT_GE(h.size, sizeof(h));
      if (h.kind != static_cast<uint8_t>(format::RecordKind::kPadding)) {
        uint64_t seq;
        std::memcpy(&seq, data + off + sizeof(h), sizeof(seq));
        for (uint32_t i = 16; i < h.size; ++i)
          EXPECT_EQ(data[off + i], static_cast<std::byte>(seq + i)) << "record " << seq << " byte " << i;
        seqs.push_back(seq);
      }
      off += h.size;
    }
  }
  ring.release(r.total());
  return seqs;
}

TEST(SpscRing, WrapsAroundWithPaddingAndKeepsEveryRecordIntact) {
  alignas(64) std::byte buffer[1024];
  SpscRing ring;
  ring.init(buffer, sizeof(buffer));
  uint64_t next = 0;
  std::vector<uint64_t> seen;
  // 24-byte and 40-byte records never divide 1024 evenly: the ring must pad.
  for (int round = 0; round < 200; ++round) {
    for (int i = 0; i < 7; ++i) {
      auto r = make_record(next, (next % 2) ? 40 : 24);
      ASSERT_TRUE(ring.push(r.data(), static_cast<uint32_t>(r.size())));
      ++next;
    }
    auto got = take_all(ring);
    seen.insert(seen.end(), got.begin(), got.end());
  }
  ASSERT_EQ(seen.size(), next);
  for (uint64_t i = 0; i < next; ++i) ASSERT_EQ(seen[i], i);
  EXPECT_EQ(ring.queued_bytes(), 0u);
}

TEST(SpscRing, RefusesWhenFullAndAcceptsAgainAfterRelease) {
  alignas(64) std::byte buffer[256];
  SpscRing ring;
  ring.init(buffer, sizeof(buffer));
  auto r = make_record(1, 64);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(ring.push(r.data(), 64)) << i;
  EXPECT_FALSE(ring.push(r.data(), 64));
  EXPECT_EQ(take_all(ring).size(), 4u);
  EXPECT_TRUE(ring.push(r.data(), 64));
}

TEST(SpscRing, FullRingCountsEveryDropExactly) {
  // ThreadState::push is what the recorder uses: it must count each refusal.
  alignas(64) static std::byte buffer[4096];
  ThreadState t;
  t.ring.init(buffer, sizeof(buffer));
  format::WaitRecord w{};
  w.header = format::make_header<format::WaitRecord>();
  const uint32_t buffer_bytes = sizeof(buffer);
  const uint32_t fit = buffer_bytes / static_cast<uint32_t>(sizeof(w));  // 64 records of 64 bytes
  const uint32_t attempts = 1000;
  uint32_t accepted = 0;
  for (uint32_t i = 0; i < attempts; ++i) accepted += t.push(w) ? 1 : 0;
  EXPECT_EQ(accepted, fit);
  EXPECT_EQ(t.dropped[static_cast<uint8_t>(format::RecordKind::kWait)].load(), attempts - fit);
  EXPECT_EQ(t.total_dropped(), attempts - fit);
  EXPECT_EQ(t.produced.load(), fit);
}

TEST(SpscRing, ProducerAndConsumerThreadsDeliverEveryRecordOnceInOrder) {
  constexpr uint32_t kCapacity = 64u << 10;
  std::vector<std::byte> storage(kCapacity);
  SpscRing ring;
  ring.init(storage.data(), kCapacity);
  constexpr uint64_t kRecords = 1000000;
  std::thread producer([&] {
    for (uint64_t seq = 0; seq < kRecords; ++seq) {
      auto r = make_record(seq, 16 + 8 * static_cast<uint32_t>(seq % 7));
      while (!ring.push(r.data(), static_cast<uint32_t>(r.size()))) std::this_thread::yield();
    }
  });
  uint64_t expected = 0;
  while (expected < kRecords) {
    for (uint64_t seq : take_all(ring)) {
      ASSERT_EQ(seq, expected);
      ++expected;
    }
  }
  producer.join();
  EXPECT_EQ(ring.queued_bytes(), 0u);
}

}  // namespace
}  // namespace contend::preload
