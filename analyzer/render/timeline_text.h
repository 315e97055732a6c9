// The time view as text: the phases, then the time line, one interval a
// line (render_table's --view time).
#pragma once

#include "render/render.h"

#include <string>

namespace contend::analyze {

std::string timeline_text(const Report& report);

}  // namespace contend::analyze
