// Renderers: a Report in, text out. Tables scale units for people; machine
// formats (JSON) carry raw nanoseconds.
#pragma once

#include "model.h"

#include <cstddef>
#include <string>

namespace contend::analyze {

struct RenderOptions {
  size_t top = 5;    // rows per ranked list
  size_t sites = 5;  // call sites listed per lock
};

std::string render_table(const Report& report, const RenderOptions& options);
std::string render_json(const Report& report, const RenderOptions& options);

}  // namespace contend::analyze
