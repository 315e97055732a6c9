#include "symbolize/call_site.h"

#include <fmt/format.h>

#include <array>
#include <string_view>

namespace contend::analyze {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool lock_word(std::string_view name) {
  for (std::string_view w :
       {"mutex", "lock", "condition_variable", "futex", "semaphore", "Mutex", "Lock", "Condvar"})
    if (name.find(w) != std::string_view::npos) return true;
  return false;
}

std::string base_name(const std::string& path) {
  return path.substr(path.rfind('/') + 1);
}

CallSite from_frame(const Symbolized& s, const SourceFrame* f) {
  CallSite site;
  site.module = s.module;
  site.offset = s.offset;
  if (f != nullptr) {
    site.function = f->function;
    site.file = f->file;
    site.line = f->line;
  }
  return site;
}

}  // namespace

std::string CallSite::key() const {
  if (!function.empty()) return function;
  if (!module.empty() && module.front() == '[') return module;  // [no stack], [stack lost]
  return fmt::format("{}+0x{:x}", module.empty() ? "?" : module, offset);
}

std::string CallSite::label() const {
  if (function.empty()) return key();
  if (file.empty()) return function;
  return fmt::format("{} ({}:{})", function, base_name(file), line);
}

bool is_lock_implementation(const std::string& function, const std::string& module) {
  // libgomp: OpenMP's critical sections, locks and barriers (their waits
  // are seen under CONTEND_FUTEX=all), counted to the code that entered them.
  static constexpr std::array<std::string_view, 8> kModules = {
      "libcontend", "libc.so", "libpthread", "libstdc++", "ld-linux", "libgcc_s.so", "librt.so", "libgomp"};
  for (std::string_view m : kModules)
    if (starts_with(module, m)) return true;
  if (starts_with(function, "__gthread") || starts_with(function, "__gthrw") ||
      starts_with(function, "pthread_"))
    return true;
  // The standard libraries' wrappers, in C++ (std::mutex::lock,
  // std::lock_guard, std::condition_variable::wait...) and in Rust
  // (std::sync::mutex::Mutex::lock, std::sys::...::futex_wait).
  if (starts_with(function, "std::") || starts_with(function, "__gnu_cxx::") ||
      starts_with(function, "core::"))
    return lock_word(function);
  return false;
}

CallSite call_site(std::span<const uint64_t> frames, const AddressSpace& space, Symbolizer& symbolizer,
                   uint64_t when) {
  CallSite fallback;
  bool have_fallback = false;
  for (uint64_t pc : frames) {
    const Module* m = space.find(pc, when);
    const Symbolized& s = symbolizer.code(m, pc, true);
    if (s.frames.empty()) {
      CallSite site = from_frame(s, nullptr);
      if (m == nullptr || !is_lock_implementation("", s.module)) return site;
      if (!have_fallback) fallback = site, have_fallback = true;
      continue;
    }
    for (const SourceFrame& f : s.frames) {
      if (!is_lock_implementation(f.function, s.module)) return from_frame(s, &f);
      if (!have_fallback) fallback = from_frame(s, &f), have_fallback = true;
    }
  }
  // Every frame is the lock implementation (a stack cut short): the
  // innermost one is better than nothing.
  return fallback;
}

CallSite CallSites::of_stack(uint64_t stack_id, uint64_t when) {
  CallSite site;
  if (stack_id == 0) {
    site.module = "[no stack]";
    return site;
  }
  const std::vector<uint64_t>* frames = trace_.stack(stack_id);
  if (frames == nullptr) {
    site.module = "[stack lost]";  // its STACK record was dropped
    return site;
  }
  return of_frames(*frames, when);
}

CallSite CallSites::of_pc(uint64_t pc, uint64_t when) {
  std::array<uint64_t, 1> one = {pc};
  return of_frames(one, when);
}

}  // namespace contend::analyze
