// The sweep as a picture: speedup (with the ideal line) and the share of
// thread time spent waiting, against the thread count. A self-contained SVG
// file: no script, no external font or style, readable in any browser and
// in GitHub's file view.
#pragma once

#include "sweep_render.h"

#include <string>

namespace contend::launch {

std::string sweep_svg(const SweepResult& result);

}  // namespace contend::launch
