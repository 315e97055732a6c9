#include "test_session.h"

#include <pthread.h>
#include <unistd.h>
#include <random>
#include <stdexcept>

namespace contend::testing {

preload::RealFunctions libc_functions() {
  preload::RealFunctions f;
  f.mutex_lock = &::pthread_mutex_lock;
  f.mutex_trylock = &::pthread_mutex_trylock;
  f.mutex_unlock = &::pthread_mutex_unlock;
  f.create_thread = &::pthread_create;
  return f;
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("contend-test-" + std::to_string(getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

preload::Config test_config(const std::string& trace_path, uint32_t flush_ms) {
  preload::Config c;
  c.output = trace_path;
  c.flush_ms = flush_ms;
  c.ring_kib = 64;
  c.max_threads = 64;
  c.lock_slots = 64;
  return c;
}

void start_session(const preload::Config& config) {
  preload::g_real_functions = libc_functions();
  if (!preload::session::start(config)) throw std::runtime_error("session did not start");
}

analyze::Report read_report(const std::string& trace_path) {
  analyze::Aggregator aggregator;
  aggregator.add_trace(trace_path);
  return aggregator.finish();
}

}  // namespace contend::testing
