// Key-value engines, each behind a different locking scheme:
//   global   one mutex around one map (the lock this example is about)
//   sharded  64 maps, each behind its own mutex (the fix for writes)
//   rwlock   one map behind a reader-writer lock (the fix for reads)
// Values are a pure function of their key (value_of), so every read can be
// checked whatever order the requests ran in.
#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kvstore {

std::string value_of(std::string_view key);

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::optional<std::string> get(const std::string& key) = 0;
  virtual void put(const std::string& key, std::string value) = 0;
};

// The write-ahead journal every engine appends a put to, under the lock
// that protects the map (as simple stores do): a record with a checksum,
// truncated when it reaches 1 MiB as if flushed.
class Journal {
 public:
  void append(const std::string& key, const std::string& value);
  uint64_t records() const { return records_; }

 private:
  std::string buffer_;
  uint64_t records_ = 0;
};

class GlobalLockEngine final : public Engine {
 public:
  std::optional<std::string> get(const std::string& key) override;
  void put(const std::string& key, std::string value) override;

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::string> map_;
  Journal journal_;
};

class ShardedEngine final : public Engine {
 public:
  std::optional<std::string> get(const std::string& key) override;
  void put(const std::string& key, std::string value) override;

 private:
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, std::string> map;
    Journal journal;
  };
  Shard& shard_of(const std::string& key);
  std::array<Shard, 64> shards_;
};

class RwLockEngine final : public Engine {
 public:
  std::optional<std::string> get(const std::string& key) override;
  void put(const std::string& key, std::string value) override;

 private:
  std::shared_mutex mu_;
  std::unordered_map<std::string, std::string> map_;
  Journal journal_;
};

// "global", "sharded" or "rwlock"; nullptr for anything else.
std::unique_ptr<Engine> make_engine(std::string_view name);

}  // namespace kvstore
