#include "aggregate/folded_stacks.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <span>
#include <string>
#include <string_view>

namespace contend::analyze {

namespace {

// Frame names never contain ';': the folded format separates frames with it,
// and stacks merge as that text would.
std::string without_separator(std::string text) {
  std::replace(text.begin(), text.end(), ';', ':');
  return text;
}

std::string frame_name(const Symbolized& s, const SourceFrame* f) {
  return without_separator(f != nullptr && !f->function.empty()
                               ? f->function
                               : fmt::format("{}+0x{:x}", s.module.empty() ? "?" : s.module, s.offset));
}

// Orders frame lists as their ';'-joined texts sort (the order folded
// output has always had), without joining them.
struct JoinedOrder {
  bool operator()(const std::vector<std::string>& a, const std::vector<std::string>& b) const {
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
      if (a[i] == b[i]) continue;
      std::string_view x = a[i], y = b[i];
      size_t n = std::min(x.size(), y.size());
      int c = x.substr(0, n).compare(y.substr(0, n));
      if (c != 0) return c < 0;
      // One frame is a prefix of the other: after it comes ';' (more frames)
      // or the end of the text, against the longer frame's next character.
      auto after = [](const std::vector<std::string>& v, size_t k) { return k + 1 < v.size() ? ';' : -1; };
      if (x.size() < y.size()) return after(a, i) < static_cast<unsigned char>(y[n]);
      return static_cast<unsigned char>(x[n]) < after(b, i);
    }
    return a.size() < b.size();
  }
};

class StackNamer {
 public:
  StackNamer(const DecodedTrace& trace, const LockRow& row, Symbolizer& symbolizer)
      : trace_(trace),
        symbolizer_(symbolizer),
        lock_frame_(fmt::format("[{} {}]", format::wait_kind_name(row.kind), without_separator(row.name))) {}

  std::vector<std::string> frames(std::span<const uint64_t> pcs, uint64_t when) {
    std::vector<std::string> out;  // innermost first, then reversed
    out.push_back(lock_frame_);
    for (uint64_t pc : pcs) {
      const Symbolized& s = symbolizer_.code(trace_.space.find(pc, when), pc, true);
      if (s.frames.empty()) out.push_back(frame_name(s, nullptr));
      for (const SourceFrame& f : s.frames) out.push_back(frame_name(s, &f));
    }
    std::reverse(out.begin(), out.end());
    return out;
  }

 private:
  const DecodedTrace& trace_;
  Symbolizer& symbolizer_;
  std::string lock_frame_;
};

}  // namespace

std::vector<FoldedStack> folded_stacks(const DecodedTrace& trace, const LockData& lock, const LockRow& row,
                                       FoldedWeight weight, Symbolizer& symbolizer) {
  StackNamer namer(trace, row, symbolizer);
  std::map<std::vector<std::string>, uint64_t, JoinedOrder> merged;
  if (weight == FoldedWeight::kHold) {
    lock.hold_sites.for_each([&](uint64_t pc, const LockData::HoldSite& site) {
      uint64_t one[1] = {pc};
      merged[namer.frames(one, site.first_time)] += trace.clock.to_ns(site.holds.sum());
    });
  } else {
    lock.waiter_stacks.for_each([&](uint64_t stack_id, const SiteAccum& acc) {
      std::span<const uint64_t> pcs;
      if (const std::vector<uint64_t>* frames = trace.stack(stack_id)) pcs = *frames;
      merged[namer.frames(pcs, acc.first_time)] +=
          weight == FoldedWeight::kWait ? trace.clock.to_ns(acc.ticks) : acc.count;
    });
  }
  std::vector<FoldedStack> out;
  for (auto& [frames, w] : merged)
    if (w > 0) out.push_back(FoldedStack{frames, w});
  return out;
}

}  // namespace contend::analyze
