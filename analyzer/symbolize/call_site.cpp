#include "symbolize/call_site.h"

#include "symbolize/function_names.h"

#include <fmt/format.h>

#include <array>

namespace contend::analyze {

namespace {

std::string base_name(const std::string& path) {
  return path.substr(path.rfind('/') + 1);
}

constexpr std::string_view kArrow = " ← ";

}  // namespace

std::string CallSite::key() const {
  if (!function.empty()) return function;
  if (module.empty() && !via.empty()) return fmt::format("?{}{}", kArrow, context_name(via));
  if (!module.empty() && module.front() == '[') return module;  // [no stack], [stack lost]
  return fmt::format("{}+0x{:x}", module.empty() ? "?" : module, offset);
}

std::string CallSite::place() const {
  if (function.empty()) return key();
  if (file.empty()) return function;
  return fmt::format("{} ({}:{})", function, base_name(file), line);
}

std::string CallSite::label() const {
  std::string out = place();
  if (!via.empty() && !(function.empty() && module.empty()))
    out += fmt::format("{}{}", kArrow, context_name(via));
  return out;
}

std::vector<CallSites::Frame> CallSites::expand(std::span<const uint64_t> pcs, uint64_t when) {
  std::vector<Frame> out;
  for (uint64_t pc : pcs) {
    const Module* m = trace_.space.find(pc, when);
    const Symbolized& s = symbolizer_.code(m, pc, true);
    if (s.frames.empty()) {
      out.push_back(Frame{m, &s, nullptr, true});
      continue;
    }
    for (size_t i = 0; i < s.frames.size(); ++i)
      out.push_back(Frame{m, &s, &s.frames[i], i + 1 == s.frames.size()});
  }
  return out;
}

std::string CallSites::identity(const Frame& f) const {
  if (f.frame != nullptr && !f.frame->function.empty()) return f.frame->function;
  if (!f.outermost || f.at->module.empty()) return "";
  if (f.at->function_entry != 0) return fmt::format("{}+0x{:x}", f.at->module, f.at->function_entry);
  return "";
}

FrameFacts CallSites::facts(const Frame& f) const {
  static const std::string kNone;
  return FrameFacts{f.frame != nullptr ? f.frame->function : kNone, f.at->module, identity(f),
                    f.outermost ? f.at->function_size : 0,          !f.outermost, std::nullopt};
}

std::optional<bool> CallSites::releases(const Frame& f) {
  if (!f.outermost || f.at->function_size == 0) return std::nullopt;
  const std::vector<std::string>& calls =
      symbolizer_.calls(f.module, f.at->function_entry, f.at->function_size);
  if (calls.empty()) return std::nullopt;
  for (const std::string& name : calls)
    if (is_release_function(name)) return true;
  return false;
}

namespace {

CallSite site_of(const Symbolized& s, const SourceFrame* f) {
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

void CallSites::learn_wrappers() {
  auto observe = [&](uint64_t stack_id, uint64_t when, bool waiting) {
    const std::vector<uint64_t>* pcs = trace_.stack(stack_id);
    if (pcs == nullptr) return;
    std::vector<Frame> frames = expand(*pcs, when);
    for (size_t i = 0; i < frames.size(); ++i) {
      FrameFacts f = facts(frames[i]);
      if (wrappers_.role(f) != FrameRole::kUser) continue;
      std::string caller;
      if (i + 1 < frames.size()) {
        caller = identity(frames[i + 1]);
        if (caller.empty())
          caller = fmt::format("{}+0x{:x}", frames[i + 1].at->module, frames[i + 1].at->offset);
      }
      f.releases = releases(frames[i]);
      wrappers_.observe(f, caller, waiting);
      return;
    }
  };
  // Chains of thin wrappers are found one link per round.
  for (int round = 0; round < 4; ++round) {
    for (const auto& [key, lock] : trace_.locks)
      lock.waiter_stacks.for_each(
          [&](uint64_t id, const SiteAccum& acc) { observe(id, acc.first_time, true); });
    for (const auto& [key, id] : trace_.identities)
      if (id.has_birth) observe(id.birth.birth_stack, id.birth.time, false);
    if (!wrappers_.learn()) break;
  }
}

CallSite CallSites::of_frames(std::span<const uint64_t> pcs, uint64_t when) {
  std::vector<Frame> frames = expand(pcs, when);
  FrameRole role = FrameRole::kUser;
  const Frame* via = nullptr;
  const Frame* first = nullptr;  // the innermost frame outside the primitive
  for (const Frame& f : frames) {
    FrameRole r = wrappers_.role(facts(f));
    if (r == FrameRole::kPrimitive) continue;
    if (first == nullptr) first = &f;
    if (r == FrameRole::kUser) {
      CallSite site = site_of(*f.at, f.frame);
      if (wrappers_.raw()) site = site_of(*first->at, first->frame);
      if (via != nullptr && !wrappers_.raw()) site.via = identity(*via);
      site.role = role;
      return site;
    }
    role = stronger(role, r);
    via = &f;
  }
  if (via != nullptr) {
    // Every frame is a wrapper: a hold's or a release's single address in
    // an out-of-line wrapper, or a stack cut short. Its caller is unknown.
    CallSite site;
    std::string wrapper = identity(*via);
    if (wrappers_.raw() || wrapper.empty()) {
      const Frame& f = wrappers_.raw() ? *first : *via;
      site = site_of(*f.at, f.frame);
    } else {
      site.via = wrapper;
    }
    site.role = role;
    return site;
  }
  // Only the primitive itself: its innermost frame is better than nothing.
  if (frames.empty()) return CallSite{};
  return site_of(*frames.front().at, frames.front().frame);
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
