// `referee eval --format html` (issue 14 item 3): one evaluation's report as a page. The
// report (harness::ReportToJson, docs/schema/eval.schema.json) is passed through whole; the
// page (search/report/eval.js) draws the samples, the workload table and the roofline.
#include "html_page.h"
#include "referee/search/html_report.h"

namespace referee::search {

Expected<std::string> EvalReportHtml(const Json& report) {
  REFEREE_RETURN_IF_ERROR(HtmlReportsAvailable());
  Json data = {{"kind", "eval"}, {"report", report}};
  return RenderPage("Referee evaluation: " + JsonString(report, "task", "?") + ", " +
                        JsonString(report, "candidate", "?"),
                    data, kEvalJs);
}

}  // namespace referee::search
