#include "symbolize/lock_wrappers.h"

#include "symbolize/function_names.h"

#include <fnmatch.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace contend::analyze {

namespace {

using R = FrameRole;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

// What a wrapper's name says it does; kUser when it says nothing of locks.
// Read on the name without template arguments (a lambda called "lock_all"
// in a std::__invoke<...> says nothing of std::__invoke).
FrameRole word_role(std::string_view function) {
  std::string name = context_name(function);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::string_view w : {"condition_variable", "condvar", "cond_", "_cond", "cond::", "latch", "barrier",
                             "once", "future", "promise", "park", "notify", "join", "event"})
    if (contains(name, w)) return R::kEvent;
  std::string without_clock = name;
  for (size_t at; (at = without_clock.find("clock")) != std::string::npos;) without_clock.erase(at, 5);
  for (std::string_view w : {"mutex", "lock", "critical", "spin"})
    if (contains(without_clock, w)) return R::kLock;
  for (std::string_view w : {"semaphore", "sem_", "futex", "wait", "acquire", "possess"})
    if (contains(name, w)) return R::kEither;
  return R::kUser;
}

// Modules that implement the primitives themselves. libgomp: OpenMP's
// critical sections, locks and barriers (their waits are seen under
// CONTEND_FUTEX=all), counted to the code that entered them.
constexpr std::array<std::string_view, 8> kPrimitiveModules = {
    "libcontend", "libc.so", "libpthread", "ld-linux", "libgcc_s.so", "librt.so", "libc-", "libgomp"};

// Standard libraries: their functions are wrappers when their name says so.
constexpr std::array<std::string_view, 7> kStandardPrefixes = {
    "std::", "__gnu_cxx::", "core::", "alloc::", "parking_lot::", "parking_lot_core::", "lock_api::"};

// Whether a function found in the trace is named for locking, by its own
// name (not its namespace: "rust_mutex::add_two" is not). Stricter than
// word_role: "waiter" or "join" name many a thread's own function.
bool named_for_locking(std::string_view function) {
  std::string name = context_name(function);
  if (size_t last = name.rfind("::"); last != std::string::npos) name.erase(0, last + 2);
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  for (size_t at; (at = name.find("clock")) != std::string::npos;) name.erase(at, 5);
  for (std::string_view w : {"mutex", "lock", "critical", "spin", "semaphore", "sem_", "futex", "acquire"})
    if (contains(name, w)) return true;
  return false;
}

}  // namespace

bool is_release_function(const std::string& function) {
  std::string name = function;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  // Rust's futex mutex unlocks in line and calls Mutex::wake when contended.
  if (contains(name, "unlock") || contains(name, "sem_post") || contains(name, "release") ||
      contains(name, "wake"))
    return true;
  size_t last = name.rfind("::");
  return last != std::string::npos && name.compare(last + 2, 1, "~") == 0 && word_role(function) == R::kLock;
}

FrameRole stronger(FrameRole a, FrameRole b) {
  return static_cast<uint8_t>(a) >= static_cast<uint8_t>(b) ? a : b;
}

const std::vector<WrapperPattern>& default_wrapper_patterns() {
  static const std::vector<WrapperPattern> patterns = {
      // The primitives' own entry points, seen when inlined or linked statically.
      {"pthread_*", R::kPrimitive},
      {"__pthread_*", R::kPrimitive},
      {"sem_*", R::kPrimitive},
      {"__new_sem_*", R::kPrimitive},
      {"syscall", R::kPrimitive},
      {"__gthread_*", R::kPrimitive},
      {"__gthrw_*", R::kPrimitive},
      // CPython.
      {"PyThread_acquire_lock*", R::kEither},
      {"PyThread_*", R::kEither},
      {"acquire_timed", R::kEither},
      {"lock_PyThread_acquire_lock", R::kEither},
      {"rlock_acquire", R::kLock},
      {"take_gil", R::kLock},
      {"drop_gil", R::kLock},
      {"PyEval_RestoreThread", R::kLock},
      {"PyEval_SaveThread", R::kLock},
      {"PyEval_AcquireThread", R::kLock},
      {"PyEval_AcquireLock", R::kLock},
      {"PyCOND_*", R::kEvent},
      {"PyMUTEX_*", R::kLock},
      {"PyMutex_*", R::kLock},
      {"_PyMutex_*", R::kLock},
      {"_PyRWMutex_*", R::kLock},
      {"_PySemaphore_*", R::kEither},
      {"_PyParkingLot_*", R::kEither},
      {"_PyEvent_*", R::kEvent},
      {"PyEvent_*", R::kEvent},
      // HotSpot (libjvm.so).
      {"Mutex::*", R::kLock},
      {"Monitor::wait*", R::kEvent},
      {"Monitor::*", R::kLock},
      {"PlatformMutex::*", R::kLock},
      {"PlatformMonitor::wait*", R::kEvent},
      {"PlatformMonitor::*", R::kLock},
      {"os::PlatformEvent::*", R::kEvent},
      {"os::PlatformParker::*", R::kEvent},
      {"PlatformEvent::*", R::kEvent},
      {"Parker::*", R::kEvent},
      {"ObjectMonitor::wait*", R::kEvent},
      {"ObjectMonitor::*", R::kLock},
      {"ObjectSynchronizer::wait*", R::kEvent},
      {"ObjectSynchronizer::*", R::kLock},
      {"MutexLocker::*", R::kLock},
      {"MonitorLocker::wait*", R::kEvent},
      {"MonitorLocker::*", R::kLock},
      {"Semaphore::*", R::kEither},
      {"PosixSemaphore::*", R::kEither},
      // libuv (node).
      {"uv_mutex_*", R::kLock},
      {"uv_rwlock_*", R::kLock},
      {"uv_sem_*", R::kEither},
      {"uv__sem_*", R::kEither},
      {"uv_cond_*", R::kEvent},
      {"uv__cond_*", R::kEvent},
      {"uv_barrier_*", R::kEvent},
      {"uv_once", R::kEvent},
      // V8 and node.
      {"v8::base::ConditionVariable::*", R::kEvent},
      {"v8::base::Semaphore::*", R::kEither},
      {"v8::base::*Mutex*", R::kLock},
      {"v8::base::*LockGuard*", R::kLock},
      {"node::ConditionVariableBase*", R::kEvent},
      {"node::MutexBase*", R::kLock},
      {"node::LibuvMutexTraits::*", R::kLock},
      // GLib.
      {"g_mutex_*", R::kLock},
      {"g_rec_mutex_*", R::kLock},
      {"g_rw_lock_*", R::kLock},
      {"g_cond_*", R::kEvent},
      {"g_once_*", R::kEvent},
      {"g_async_queue_*", R::kEvent},
      // Abseil, folly, Boost, TBB, Qt.
      {"absl::*CondVar::*", R::kEvent},
      {"absl::*Mutex::*", R::kLock},
      {"absl::*synchronization_internal::*", R::kEither},
      {"folly::*Mutex*", R::kLock},
      {"folly::detail::futex*", R::kEither},
      {"boost::*condition_variable*", R::kEvent},
      {"boost::*mutex*", R::kLock},
      {"boost::*lock*", R::kLock},
      {"tbb::*mutex*", R::kLock},
      {"QWaitCondition::*", R::kEvent},
      {"QSemaphore::*", R::kEither},
      {"QMutex::*", R::kLock},
      {"QBasicMutex::*", R::kLock},
      {"QRecursiveMutex::*", R::kLock},
      {"QMutexLocker*", R::kLock},
      {"QReadWriteLock::*", R::kLock},
  };
  return patterns;
}

LockWrappers::LockWrappers(WrapperOptions options) : options_(std::move(options)) {}

FrameRole LockWrappers::listed(const std::string& function, const std::string& module) {
  std::string cache_key = module + '\n' + function;
  auto it = listed_cache_.find(cache_key);
  if (it != listed_cache_.end()) return it->second;
  FrameRole role = R::kUser;
  // A Rust qualified path "<std::sys::...::Mutex>::lock_contended" matches as
  // "std::sys::...".
  std::string name = !function.empty() && function.front() == '<' ? function.substr(1) : function;
  bool done = false;
  for (std::string_view m : kPrimitiveModules) {
    if (starts_with(module, m)) {
      role = R::kPrimitive;
      done = true;
      break;
    }
  }
  for (const std::string& p : options_.patterns) {
    if (done) break;
    if (fnmatch(p.c_str(), name.c_str(), 0) == 0 || name == p ||
        (name.size() >= p.size() + 2 && name.compare(name.size() - p.size() - 2, 2, "::") == 0 &&
         name.compare(name.size() - p.size(), p.size(), p) == 0)) {
      FrameRole said = word_role(name);
      role = said == R::kUser ? R::kEither : said;
      done = true;
    }
  }
  for (const WrapperPattern& p : default_wrapper_patterns()) {
    if (done || name.empty()) break;
    if (fnmatch(p.pattern, name.c_str(), 0) == 0) {
      role = p.role;
      done = true;
    }
  }
  if (!done && !name.empty()) {
    for (std::string_view prefix : kStandardPrefixes) {
      if (starts_with(name, prefix)) {
        role = word_role(name);
        done = true;
        break;
      }
    }
  }
  // libstdc++'s own functions, named or not, are the standard library's.
  if (!done && starts_with(module, "libstdc++")) role = name.empty() ? R::kEither : word_role(name);
  listed_cache_.emplace(std::move(cache_key), role);
  return role;
}

FrameRole LockWrappers::role(const FrameFacts& frame) {
  FrameRole r = listed(frame.function, frame.module);
  if (r != R::kUser || frame.identity.empty()) return r;
  auto it = thin_.find(frame.identity);
  return it == thin_.end() ? R::kUser : it->second;
}

void LockWrappers::observe(const FrameFacts& frame, const std::string& caller_identity, bool waiting) {
  if (frame.identity.empty()) return;
  Candidate& c = candidates_[frame.identity];
  c.callers.insert(caller_identity);
  c.small = frame.inlined || (frame.size > 0 && frame.size <= kThinWrapperBytes);
  c.lock_named = c.lock_named || (waiting && !frame.function.empty() && named_for_locking(frame.function));
  c.role = c.lock_named ? word_role(frame.function) : R::kEither;
  if (c.role == R::kUser) c.role = R::kEither;
  c.releases = frame.releases;
}

bool LockWrappers::learn() {
  bool found = false;
  for (auto& [identity, c] : candidates_) {
    if (!c.small || thin_.count(identity) != 0 || c.releases.value_or(false)) continue;
    // Without its code, only the name can say that it does not release.
    if (c.lock_named || (c.callers.size() >= 2 && c.releases.has_value())) {
      thin_[identity] = c.lock_named ? c.role : R::kEither;
      found = true;
    }
  }
  candidates_.clear();
  return found;
}

}  // namespace contend::analyze
