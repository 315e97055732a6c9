#include "render/diff_render.h"

namespace contend::analyze {

const std::vector<DiffFormat>& diff_formats() {
  static const std::vector<DiffFormat> formats = {
      {"table", "table", render_diff_table},
      {"json", "json (docs/DIFF_JSON.md)", render_diff_json},
      {"csv", "csv (one row per lock; --rows site or totals for the others)", render_diff_csv},
  };
  return formats;
}

}  // namespace contend::analyze
