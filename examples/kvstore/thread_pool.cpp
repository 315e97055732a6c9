#include "thread_pool.h"

namespace kvstore {

SharedQueuePool::SharedQueuePool(size_t workers) {
  for (size_t i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
}

SharedQueuePool::~SharedQueuePool() {
  {
    std::lock_guard<std::mutex> g(mu_);
    stopping_ = true;
  }
  has_work_.notify_all();
  for (auto& w : workers_) w.join();
}

__attribute__((noinline)) void SharedQueuePool::submit(Task task) {
  {
    std::lock_guard<std::mutex> g(mu_);
    queue_.push_back(std::move(task));
  }
  has_work_.notify_one();
}

void SharedQueuePool::wait_idle() {
  std::unique_lock<std::mutex> g(mu_);
  idle_.wait(g, [this] { return queue_.empty() && running_ == 0; });
}

__attribute__((noinline)) void SharedQueuePool::work() {
  std::unique_lock<std::mutex> g(mu_);
  for (;;) {
    has_work_.wait(g, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping
    Task task = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    g.unlock();
    task();
    g.lock();
    --running_;
    if (queue_.empty() && running_ == 0) idle_.notify_all();
  }
}

WorkStealingPool::WorkStealingPool(size_t workers) {
  for (size_t i = 0; i < workers; ++i) queues_.push_back(std::make_unique<Queue>());
  for (size_t i = 0; i < workers; ++i) workers_.emplace_back([this, i] { work(i); });
}

WorkStealingPool::~WorkStealingPool() {
  {
    std::lock_guard<std::mutex> g(sleep_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
}

__attribute__((noinline)) void WorkStealingPool::submit(Task task) {
  Queue& q = *queues_[next_.fetch_add(1, std::memory_order_relaxed) % queues_.size()];
  pending_.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> g(q.mu);
    q.tasks.push_back(std::move(task));
  }
  wake_.notify_one();
}

bool WorkStealingPool::take(size_t self, Task& task) {
  // Own queue from the front, others' from the back.
  for (size_t k = 0; k < queues_.size(); ++k) {
    Queue& q = *queues_[(self + k) % queues_.size()];
    std::lock_guard<std::mutex> g(q.mu);
    if (q.tasks.empty()) continue;
    if (k == 0) {
      task = std::move(q.tasks.front());
      q.tasks.pop_front();
    } else {
      task = std::move(q.tasks.back());
      q.tasks.pop_back();
    }
    return true;
  }
  return false;
}

__attribute__((noinline)) void WorkStealingPool::work(size_t self) {
  for (;;) {
    Task task;
    if (take(self, task)) {
      task();
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> g(sleep_mu_);
        idle_.notify_all();
      }
      continue;
    }
    std::unique_lock<std::mutex> g(sleep_mu_);
    if (stopping_) return;
    // Sleep briefly: a submit may race with our scan.
    wake_.wait_for(g, std::chrono::milliseconds(1));
    if (stopping_) return;
  }
}

void WorkStealingPool::wait_idle() {
  std::unique_lock<std::mutex> g(sleep_mu_);
  idle_.wait(g, [this] { return pending_.load(std::memory_order_acquire) == 0; });
}

std::unique_ptr<ThreadPool> make_pool(std::string_view name, size_t workers) {
  if (name == "shared") return std::make_unique<SharedQueuePool>(workers);
  if (name == "stealing") return std::make_unique<WorkStealingPool>(workers);
  return nullptr;
}

}  // namespace kvstore
