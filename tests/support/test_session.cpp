#include "test_session.h"

#include "core/record/unwinder.h"

#include <pthread.h>
#include <unistd.h>
#include <random>
#include <stdexcept>

namespace contend::testing {

preload::RealFunctions libc_functions() {
  preload::RealFunctions f;
  f.mutex_lock = &::pthread_mutex_lock;
  f.mutex_trylock = &::pthread_mutex_trylock;
  f.mutex_timedlock = &::pthread_mutex_timedlock;
  f.mutex_clocklock = &::pthread_mutex_clocklock;
  f.mutex_unlock = &::pthread_mutex_unlock;
  f.mutex_init = &::pthread_mutex_init;
  f.mutex_destroy = &::pthread_mutex_destroy;
  f.mutex_consistent = &::pthread_mutex_consistent;
  f.rwlock_rdlock = &::pthread_rwlock_rdlock;
  f.rwlock_wrlock = &::pthread_rwlock_wrlock;
  f.rwlock_tryrdlock = &::pthread_rwlock_tryrdlock;
  f.rwlock_trywrlock = &::pthread_rwlock_trywrlock;
  f.rwlock_timedrdlock = &::pthread_rwlock_timedrdlock;
  f.rwlock_timedwrlock = &::pthread_rwlock_timedwrlock;
  f.rwlock_clockrdlock = &::pthread_rwlock_clockrdlock;
  f.rwlock_clockwrlock = &::pthread_rwlock_clockwrlock;
  f.rwlock_unlock = &::pthread_rwlock_unlock;
  f.rwlock_init = &::pthread_rwlock_init;
  f.rwlock_destroy = &::pthread_rwlock_destroy;
  f.spin_lock = &::pthread_spin_lock;
  f.spin_trylock = &::pthread_spin_trylock;
  f.spin_unlock = &::pthread_spin_unlock;
  f.spin_init = &::pthread_spin_init;
  f.spin_destroy = &::pthread_spin_destroy;
  f.cond_wait = &::pthread_cond_wait;
  f.cond_timedwait = &::pthread_cond_timedwait;
  f.cond_clockwait = &::pthread_cond_clockwait;
  f.cond_signal = &::pthread_cond_signal;
  f.cond_broadcast = &::pthread_cond_broadcast;
  f.sem_wait = &::sem_wait;
  f.sem_trywait = &::sem_trywait;
  f.sem_timedwait = &::sem_timedwait;
  f.sem_clockwait = &::sem_clockwait;
  f.sem_post = &::sem_post;
  f.syscall = &::syscall;
  f.create_thread = &::pthread_create;
  f.setname = &::pthread_setname_np;
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
  c.lock_slots_max = 64;  // tests of spilling want a table that cannot grow
  return c;
}

void start_session(const preload::Config& config) {
  preload::g_real_functions = libc_functions();
  // As the library's constructor does: the stack walker, opened privately.
  std::string error;
  if (!preload::load_unwinder(&error)) throw std::runtime_error(error);
  if (!preload::session::start(config)) throw std::runtime_error("session did not start");
}

analyze::Report read_report(const std::string& trace_path) {
  analyze::Aggregator aggregator;
  aggregator.add_trace(trace_path);
  return aggregator.finish();
}

}  // namespace contend::testing
