// The diff as text: the runs, the verdict, the totals side by side, then
// the locks and the waiting call sites by the size of their change.
#include "columns/diff_columns.h"
#include "render/diff_render.h"
#include "render/text_table.h"

#include <fmt/format.h>

namespace contend::analyze {

namespace {

// A paragraph broken into lines of at most `width` columns.
std::string wrapped(const std::string& text, size_t width, const std::string& indent) {
  std::string out, line;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(at, end - at);
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    at = end + 1;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string run_line(const char* side, const RunFigures& f, const std::vector<std::string>& traces) {
  return fmt::format("  {:<4} {} ({} trace{}{})\n", side, f.program.empty() ? "no traces" : f.program,
                     traces.size(), traces.size() == 1 ? "" : "s",
                     traces.size() == 1 ? ": " + traces.front() : std::string());
}

}  // namespace

std::string render_diff_table(const DiffReport& d, const DiffRenderOptions& options) {
  std::string out = "contend diff\n";
  out += run_line("BASE", d.before, d.base_traces);
  out += run_line("NEW", d.after, d.new_traces);
  out += "\n" + wrapped(diff_verdict(d), 100, "") + "\n";
  out += render_columns(diff_figure_columns(), d.figures, d.figures.size());
  out +=
      "  (futex waits: waits that slept in the kernel, all but spinlocks'; futex wakes: releases that\n"
      "  found a thread waiting)\n";
  bool with_ops = d.before.operations > 0 && d.after.operations > 0;
  const std::vector<Column<LockDiff>>& lock_columns = diff_lock_columns(with_ops);
  if (d.locks.empty()) {
    out += "\nNo lock in either run.\n";
  } else {
    out += fmt::format("\nLocks by change in wait (top {} of {}; matched by name and kind)\n",
                       std::min(options.top, d.locks.size()), d.locks.size());
    out += render_columns(lock_columns, d.locks, options.top);
  }
  if (!d.sites.empty()) {
    out += fmt::format("\nWaiting call sites by change in wait (top {} of {}; matched by function)\n",
                       std::min(options.top, d.sites.size()), d.sites.size());
    out += render_columns(diff_site_columns(), d.sites, options.top);
  }
  out += "\n" + render_legend(lock_columns);
  if (!d.warnings.empty()) {
    out += "\nWarnings:\n";
    for (const std::string& w : d.warnings) out += "  " + w + "\n";
  }
  return out;
}

}  // namespace contend::analyze
