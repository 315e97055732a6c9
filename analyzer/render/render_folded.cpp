// Folded stacks, one line per stack: "frame;frame;...;[kind lock] weight",
// as flamegraph.pl, speedscope and inferno read them.
#include "render/render.h"

#include <fmt/format.h>

namespace contend::analyze {

std::string render_folded(const Report& r, const RenderOptions&) {
  std::string out;
  for (const LockRow& l : r.locks) {
    for (const FoldedStack& s : l.folded) {
      for (size_t i = 0; i < s.frames.size(); ++i) out += (i ? ";" : "") + s.frames[i];
      out += fmt::format(" {}\n", s.weight);
    }
  }
  return out;
}

}  // namespace contend::analyze
