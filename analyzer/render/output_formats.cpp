#include "render/output_formats.h"

namespace contend::analyze {

const std::vector<OutputFormat>& output_formats() {
  static const std::vector<OutputFormat> formats = {
      {"table", "table", render_table, false},
      {"json", "json (docs/REPORT_JSON.md)", render_json, false},
      {"csv", "csv", render_csv, false},
      {"folded", "folded stacks", render_folded, true},
      {"pprof", "pprof (gzipped profile.proto, binary)", render_pprof, false, true},
      {"prometheus", "prometheus (text exposition format)", render_prometheus, false},
      {"perfetto", "perfetto (Chrome trace-event JSON)", render_chrome_trace, false, false, true, true},
      {"html", "html (one self-contained page)", render_html, true, false, true, false},
  };
  return formats;
}

std::string output_formats_help() {
  const std::vector<OutputFormat>& formats = output_formats();
  std::string out;
  for (size_t i = 0; i < formats.size(); ++i)
    out += (i == 0 ? "" : i + 1 == formats.size() ? ", or " : ", ") + std::string(formats[i].help);
  return out;
}

}  // namespace contend::analyze
