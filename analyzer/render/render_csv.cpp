// CSV: one header line, one row per lock, call site or thread (the report's
// grouping), raw units (nanoseconds, fractions), quoted where needed (RFC
// 4180). The columns are the view's, those shown in CSV.
#include "columns/interval_columns.h"
#include "columns/lock_columns.h"
#include "columns/site_columns.h"
#include "columns/thread_columns.h"
#include "render/csv_table.h"
#include "render/render.h"

namespace contend::analyze {

std::string render_csv(const Report& r, const RenderOptions& options) {
  size_t rows = options.machine_rows();
  switch (r.grouping) {
    case Grouping::kLock: return csv_table(lock_columns(), r.locks, rows);
    case Grouping::kSite: return csv_table(site_columns(), r.sites, rows);
    case Grouping::kThread: return csv_table(thread_columns(), r.threads, rows);
    case Grouping::kTime: return csv_table(interval_columns(), r.timeline.intervals, rows);
  }
  return {};
}

}  // namespace contend::analyze
