#include <algorithm>
#include <string>

#include "referee/base/strings.h"
#include "referee/rules/report.h"

namespace referee::rules {
namespace {

// Spaces under the snippet up to the column (tabs kept, so the caret lines up), then `^`, then
// `~` under the rest of a single-line range.
std::string CaretLine(const Finding& f) {
  std::string out;
  const std::string& line = f.snippet;
  int col = f.column < 1 ? 1 : f.column;
  auto is_continuation = [&line](int i) { return (line[i] & 0xC0) == 0x80; };
  for (int i = 0; i + 1 < col && size_t(i) < line.size(); ++i) {
    if (!is_continuation(i)) out += line[i] == '\t' ? '\t' : ' ';
  }
  out += '^';
  if (f.end_line == f.line && f.end_column > col + 1) {  // end_column is exclusive
    int end = std::min<int>(f.end_column, int(line.size()) + 1);
    for (int i = col; i + 1 < end; ++i) {
      if (!is_continuation(i)) out += '~';
    }
  }
  return out;
}

}  // namespace

std::string FormatText(const AuditResult& result) {
  std::string out;
  for (const Finding& f : result.findings) {
    std::string_view severity = SeverityName(f.severity);
    out += StrFormat("%s:%d:%d: %.*s: %s [%s]\n", f.path.c_str(), f.line, f.column,
                     int(severity.size()), severity.data(), f.message.c_str(), f.rule_id.c_str());
    if (!f.snippet.empty()) {
      out += f.snippet;
      out += '\n';
      out += CaretLine(f);
      out += '\n';
    }
  }
  return out;
}

std::optional<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "text") return ReportFormat::kText;
  if (name == "json") return ReportFormat::kJson;
  if (name == "sarif") return ReportFormat::kSarif;
  return std::nullopt;
}

std::string FormatReport(ReportFormat format, const AuditResult& result,
                         const ReportContext& context) {
  switch (format) {
    case ReportFormat::kText:
      return FormatText(result);
    case ReportFormat::kJson:
      return FormatJson(result, context);
    case ReportFormat::kSarif:
      return FormatSarif(result, context);
  }
  return FormatText(result);
}

}  // namespace referee::rules
