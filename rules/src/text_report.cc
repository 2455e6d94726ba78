#include <algorithm>
#include <map>
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

std::string Painted(std::string_view text, const char* ansi, bool color) {
  if (!color) return std::string(text);
  return std::string(ansi) + std::string(text) + "\033[0m";
}

const char* SeverityColor(Severity s) {
  switch (s) {
    case Severity::kError: return "\033[1;31m";
    case Severity::kWarning: return "\033[1;35m";
    case Severity::kNote: return "\033[1;36m";
  }
  return "";
}

}  // namespace

std::string FormatText(const AuditResult& result, const TextOptions& options) {
  std::string out, suppressed;
  for (const Finding& f : result.findings) {
    if (f.severity < options.min_severity) continue;
    if (f.suppressed) {  // listed, never silent
      suppressed += StrFormat("  %s:%d:%d: [%s] %s: %s\n", f.path.c_str(), f.line, f.column,
                              f.rule_id.c_str(), f.suppressed->kind.c_str(),
                              f.suppressed->justification.c_str());
      continue;
    }
    std::string severity = Painted(SeverityName(f.severity), SeverityColor(f.severity),
                                   options.color);
    out += StrFormat("%s: %s: %s [%s]\n",
                     Painted(StrFormat("%s:%d:%d", f.path.c_str(), f.line, f.column), "\033[1m",
                             options.color).c_str(),
                     severity.c_str(), f.message.c_str(), f.rule_id.c_str());
    if (!f.snippet.empty()) {
      out += f.snippet;
      out += '\n';
      out += Painted(CaretLine(f), "\033[32m", options.color);
      out += '\n';
    }
  }
  if (!suppressed.empty()) out += "suppressed findings (not counted):\n" + suppressed;
  return out;
}

std::string FormatSummaryTable(const AuditResult& result) {
  struct Row {
    std::string category;
    int n[3] = {0, 0, 0};
    int suppressed = 0;
  };
  std::map<std::string, Row> by_rule, by_category;
  for (const Finding& f : result.findings) {
    std::string cat(CategoryName(f.category));
    for (Row* r : {&by_rule[f.rule_id], &by_category[cat]}) {
      r->category = cat;
      f.suppressed ? ++r->suppressed : ++r->n[int(f.severity)];
    }
  }
  if (by_rule.empty()) return "";
  size_t w = 4;
  for (const auto& [id, r] : by_rule) w = std::max(w, id.size());
  for (const auto& [cat, r] : by_category) w = std::max(w, cat.size());
  auto line = [&](const std::string& name, const std::string& cat, const Row& r) {
    return StrFormat("  %-*s  %-22s %5d %7d %4d %10d\n", int(w), name.c_str(), cat.c_str(),
                     r.n[2], r.n[1], r.n[0], r.suppressed);
  };
  std::string out = StrFormat("  %-*s  %-22s %5s %7s %4s %10s\n", int(w), "RULE", "CATEGORY",
                              "ERROR", "WARNING", "NOTE", "SUPPRESSED");
  for (const auto& [id, r] : by_rule) out += line(id, r.category, r);
  out += StrFormat("  %-*s  %-22s %5s %7s %4s %10s\n", int(w), "CATEGORY", "", "ERROR",
                   "WARNING", "NOTE", "SUPPRESSED");
  for (const auto& [cat, r] : by_category) out += line(cat, "", r);
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
      return FormatText(result, context.text);
    case ReportFormat::kJson:
      return FormatJson(result, context);
    case ReportFormat::kSarif:
      return FormatSarif(result, context);
  }
  return FormatText(result);
}

}  // namespace referee::rules
