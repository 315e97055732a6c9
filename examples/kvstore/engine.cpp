#include "engine.h"

#include <functional>

namespace kvstore {

std::string value_of(std::string_view key) {
  std::string v = "value-of-";
  v += key;
  v.append(200, '.');  // a small record's payload
  return v;
}

namespace {

// CRC-32C computed a bit at a time, as a store without a hardware CRC path
// does: a few microseconds for a record, all of it under the store's lock.
uint32_t crc32c(std::string_view bytes, uint32_t crc) {
  crc = ~crc;
  for (char c : bytes) {
    crc ^= static_cast<unsigned char>(c);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

}  // namespace

void Journal::append(const std::string& key, const std::string& value) {
  uint32_t sum = crc32c(value, crc32c(key, 0));
  buffer_ += key;
  buffer_ += '=';
  buffer_ += value;
  buffer_ += std::to_string(sum);
  buffer_ += '\n';
  ++records_;
  if (buffer_.size() > (1u << 20)) buffer_.clear();  // "flushed"
}

// noinline: each operation is a frame of its own in profiles.
__attribute__((noinline)) std::optional<std::string> GlobalLockEngine::get(const std::string& key) {
  std::lock_guard<std::mutex> guard(mu_);
  auto it = map_.find(key);
  if (it == map_.end()) return std::nullopt;
  return it->second;
}

__attribute__((noinline)) void GlobalLockEngine::put(const std::string& key, std::string value) {
  std::lock_guard<std::mutex> guard(mu_);
  journal_.append(key, value);
  map_[key] = std::move(value);
}

ShardedEngine::Shard& ShardedEngine::shard_of(const std::string& key) {
  return shards_[std::hash<std::string>()(key) % shards_.size()];
}

__attribute__((noinline)) std::optional<std::string> ShardedEngine::get(const std::string& key) {
  Shard& s = shard_of(key);
  std::lock_guard<std::mutex> guard(s.mu);
  auto it = s.map.find(key);
  if (it == s.map.end()) return std::nullopt;
  return it->second;
}

__attribute__((noinline)) void ShardedEngine::put(const std::string& key, std::string value) {
  Shard& s = shard_of(key);
  std::lock_guard<std::mutex> guard(s.mu);
  s.journal.append(key, value);
  s.map[key] = std::move(value);
}

__attribute__((noinline)) std::optional<std::string> RwLockEngine::get(const std::string& key) {
  std::shared_lock<std::shared_mutex> guard(mu_);
  auto it = map_.find(key);
  if (it == map_.end()) return std::nullopt;
  return it->second;
}

__attribute__((noinline)) void RwLockEngine::put(const std::string& key, std::string value) {
  std::unique_lock<std::shared_mutex> guard(mu_);
  journal_.append(key, value);
  map_[key] = std::move(value);
}

std::unique_ptr<Engine> make_engine(std::string_view name) {
  if (name == "global") return std::make_unique<GlobalLockEngine>();
  if (name == "sharded") return std::make_unique<ShardedEngine>();
  if (name == "rwlock") return std::make_unique<RwLockEngine>();
  return nullptr;
}

}  // namespace kvstore
