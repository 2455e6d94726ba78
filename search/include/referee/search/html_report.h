// Self-contained HTML reports (issue 14 item 3): one file, readable offline, with the plotting
// library (Apache ECharts, fetched by scripts/setup.sh) inlined. What a candidate wrote (diffs,
// rationales, reasons) is hostile: it reaches the page only as JSON inside
// <script type="application/json"> with every '<' escaped, and the page's script puts it into
// the DOM as text, never as markup. A Content-Security-Policy forbids any network access.
//
//   Expected<std::string> html = SearchReportHtml("/runs/s1");
//   if (!html) { /* a journal error, or a build without the plotting library */ }
#pragma once

#include <string>

#include "referee/base/expected.h"
#include "referee/base/json.h"

namespace referee::search {

// OK when this build inlines the plotting library; otherwise one line naming the missing file.
Status HtmlReportsAvailable();

// The search journal at `dir` as a page: incumbent progress per thread (time and evaluations,
// with intervals), the lineage tree, the stage timeline, rule hits, the budget, and one
// section per candidate (diff, stage log, timing samples, SOL score).
Expected<std::string> SearchReportHtml(const std::string& dir);

// One `referee eval` report (harness::ReportToJson) as a page: the samples' histograms, the
// per-workload table and each workload's roofline position.
Expected<std::string> EvalReportHtml(const Json& report);

// The parts both pages share; exposed for tests.
std::string HtmlEscape(const std::string& text);
// JSON that cannot end the <script> element holding it: '<', '>' and '&' as \u escapes.
std::string JsonForScript(const Json& value);

}  // namespace referee::search
