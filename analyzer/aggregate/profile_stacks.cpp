#include "aggregate/profile_stacks.h"

#include "symbolize/call_site.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace contend::analyze {

namespace {

ProfileLine line_of(const SourceFrame& f) {
  return ProfileLine{f.function, f.file, f.line};
}

}  // namespace

int32_t ProfileStacks::module_index(const Module* m) {
  if (m == nullptr) return -1;
  auto [it, fresh] = modules_.try_emplace(m, static_cast<int32_t>(out_.modules.size()));
  if (fresh) {
    ProfileModule pm;
    pm.path = m->path;
    pm.build_id = m->build_id;
    pm.start = UINT64_MAX;
    for (const Module::Segment& s : m->segments) {
      pm.start = std::min(pm.start, m->bias + s.vaddr);
      pm.limit = std::max(pm.limit, m->bias + s.vaddr + s.memsz);
    }
    if (m->segments.empty()) pm.start = m->bias;
    out_.modules.push_back(std::move(pm));
  }
  return it->second;
}

uint32_t ProfileStacks::pseudo_location(const std::string& text) {
  auto [it, fresh] = pseudo_.try_emplace(text, static_cast<uint32_t>(out_.locations.size()));
  if (fresh) {
    ProfileLocation loc;
    loc.fallback = text;
    out_.locations.push_back(std::move(loc));
  }
  return it->second;
}

bool ProfileStacks::not_users(const std::string& function, const std::string& module) {
  FrameFacts facts{function, module, function, 0, false, std::nullopt};
  return wrappers_.role(facts) != FrameRole::kUser;
}

std::vector<uint32_t> ProfileStacks::locations(const DecodedTrace& trace, std::span<const uint64_t> pcs,
                                               uint64_t when) {
  // Innermost frames of the lock implementation are left out, up to the
  // first line outside it (inlined lines of that address too); a stack made
  // only of them is kept whole, as a call site falls back to its innermost.
  size_t first = pcs.size();
  size_t skip = 0;
  for (size_t i = 0; i < pcs.size() && first == pcs.size(); ++i) {
    const Module* m = trace.space.find(pcs[i], when);
    const Symbolized& s = symbolizer_.code(m, pcs[i], true);
    if (s.frames.empty()) {
      if (m == nullptr || !not_users("", s.module)) first = i;
      continue;
    }
    size_t k = 0;
    while (k < s.frames.size() && not_users(s.frames[k].function, s.module)) ++k;
    if (k < s.frames.size()) first = i, skip = k;
  }
  if (first == pcs.size()) first = 0, skip = 0;
  std::vector<uint32_t> out;
  for (size_t i = first; i < pcs.size(); ++i) {
    uint64_t pc = pcs[i];
    const Module* m = trace.space.find(pc, when);
    const Symbolized& s = symbolizer_.code(m, pc, true);
    size_t drop = i == first ? skip : 0;
    int32_t module = module_index(m);
    auto [it, fresh] =
        by_address_.try_emplace({module, pc, drop > 0}, static_cast<uint32_t>(out_.locations.size()));
    if (fresh) {
      ProfileLocation loc;
      loc.address = pc;
      loc.module = module;
      if (s.frames.empty())
        loc.fallback = fmt::format("{}+0x{:x}", s.module.empty() ? "?" : s.module, s.offset);
      for (size_t k = drop; k < s.frames.size(); ++k) loc.lines.push_back(line_of(s.frames[k]));
      out_.locations.push_back(std::move(loc));
    }
    out.push_back(it->second);
  }
  return out;
}

void ProfileStacks::add(const DecodedTrace& trace, const LockData& lock, LockRow& row) {
  lock.thread_stacks.for_each([&](uint64_t tid, const FlatMap<SiteAccum>& stacks) {
    auto t = trace.threads.find(static_cast<uint32_t>(tid));
    stacks.for_each([&](uint64_t stack_id, const SiteAccum& acc) {
      ProfileSample sample;
      if (stack_id == 0) {
        sample.locations.push_back(pseudo_location("[no stack]"));
      } else if (const std::vector<uint64_t>* pcs = trace.stack(stack_id)) {
        sample.locations = locations(trace, *pcs, acc.first_time);
      } else {
        sample.locations.push_back(pseudo_location("[stack lost]"));
      }
      if (sample.locations.empty()) sample.locations.push_back(pseudo_location("[no stack]"));
      sample.pid = trace.process.pid;
      sample.tid = static_cast<uint32_t>(tid);
      if (t != trace.threads.end()) sample.thread = t->second.name;
      sample.waits = acc.count;
      sample.wait_ns = acc.ticks;  // ticks until the conversion below
      row.profile.push_back(std::move(sample));
    });
  });
  lock.hold_sites.for_each([&](uint64_t pc, const LockData::HoldSite& site) {
    ProfileSample sample;
    std::array<uint64_t, 1> one = {pc};
    sample.locations = locations(trace, one, site.first_time);
    sample.pid = trace.process.pid;
    sample.hold_ns = site.holds.sum();  // ticks until the conversion below
    if (sample.hold_ns > 0) row.profile.push_back(std::move(sample));
  });
  // FlatMap order is a hash order: make the output the same on every run.
  std::sort(row.profile.begin(), row.profile.end(), [](const ProfileSample& a, const ProfileSample& b) {
    return std::tie(a.tid, a.locations, b.wait_ns) < std::tie(b.tid, b.locations, a.wait_ns);
  });
  // Ticks to ns on running sums, so that the samples add up to the row's
  // totals exactly (converted once) rather than to the sum of rounded parts.
  uint64_t waited = 0, held = 0;
  for (ProfileSample& sample : row.profile) {
    uint64_t before = trace.clock.to_ns(waited);
    waited += sample.wait_ns;
    sample.wait_ns = trace.clock.to_ns(waited) - before;
    before = trace.clock.to_ns(held);
    held += sample.hold_ns;
    sample.hold_ns = trace.clock.to_ns(held) - before;
  }
}

}  // namespace contend::analyze
