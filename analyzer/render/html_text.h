// Text for the HTML report: escaping, and the data its script draws from
// (folded stacks and the time line, as JSON safe inside a <script>).
#pragma once

#include "report/report.h"

#include <string>
#include <string_view>

namespace contend::analyze {

// &, <, >, " and ' as entities.
std::string html_escape(std::string_view text);

// {"frames": [...], "stacks": [{"f": [...], "w": ns}], "timeline": {...}}
// with every '<' written as \u003c, so no "</script>" can end the element.
std::string html_report_data(const Report& report);

}  // namespace contend::analyze
