// Thread pools that serve the requests:
//   shared    one queue behind one mutex and condition variable: every
//             submit and every take goes through the same lock
//   stealing  one deque per worker, each behind its own mutex; submissions
//             are spread round-robin and idle workers steal from the others
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

namespace kvstore {

using Task = std::function<void()>;

class ThreadPool {
 public:
  virtual ~ThreadPool() = default;
  virtual void submit(Task task) = 0;
  // Returns when every submitted task has run.
  virtual void wait_idle() = 0;
};

class SharedQueuePool final : public ThreadPool {
 public:
  explicit SharedQueuePool(size_t workers);
  ~SharedQueuePool() override;
  void submit(Task task) override;
  void wait_idle() override;

 private:
  void work();

  std::mutex mu_;
  std::condition_variable has_work_;
  std::condition_variable idle_;
  std::deque<Task> queue_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

class WorkStealingPool final : public ThreadPool {
 public:
  explicit WorkStealingPool(size_t workers);
  ~WorkStealingPool() override;
  void submit(Task task) override;
  void wait_idle() override;

 private:
  struct Queue {
    std::mutex mu;
    std::deque<Task> tasks;
  };
  bool take(size_t self, Task& task);
  void work(size_t self);

  std::vector<std::unique_ptr<Queue>> queues_;
  std::atomic<size_t> next_{0};
  std::atomic<size_t> pending_{0};  // submitted and not yet finished
  std::mutex sleep_mu_;             // only for sleeping and waking
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> workers_;
};

// "shared" or "stealing"; nullptr for anything else.
std::unique_ptr<ThreadPool> make_pool(std::string_view name, size_t workers);

}  // namespace kvstore
