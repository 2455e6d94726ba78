// Audit reports: text (compiler style), JSON (schema_version 2, docs/schema/) and SARIF 2.1.0 (as GitHub code
// scanning accepts it). Reporters are pure functions of the result; the CLI writes them out.
//
//   ReportContext ctx{&rules, argv, "/abs/cwd", "/abs/repo"};
//   std::string sarif = FormatReport(ReportFormat::kSarif, result, ctx);
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "referee/rules/finding.h"
#include "referee/rules/rule.h"

namespace referee::rules {

enum class ReportFormat { kText, kJson, kSarif };
std::optional<ReportFormat> ParseReportFormat(std::string_view name);  // "text" | "json" | "sarif"

// `path:line:col: severity: message [rule-id]`, the source line and a caret under the column;
// then the suppressed findings, listed. Findings only: file and run errors are diagnostics,
// logged by the caller.
struct TextOptions {
  bool color = false;                       // ANSI colours (the CLI's --color)
  Severity min_severity = Severity::kNote;  // -q shows errors only
};

struct ReportContext {
  const RuleSet* rules = nullptr;  // the rules the audit ran (SARIF tool.driver.rules)
  std::vector<std::string> argv;   // the command line, recorded in JSON and SARIF
  std::string cwd;                 // absolute; finding paths are relative to it
  std::string srcroot;             // absolute; SARIF uris are relative to it (%SRCROOT%)
  // JSON: the rule set's digest (RuleSetHash) and the gate's verdict, when an AuditGate ran.
  std::string rule_set_hash;
  std::string fail_on;  // "note" | "warning" | "error"
  std::string outcome;  // "clean" | "findings" | "input-error" | "internal-error"
  TextOptions text;     // FormatReport(kText)
};

std::string FormatText(const AuditResult& result, const TextOptions& options = {});
// Counts per rule (with its category) and per category, by severity, suppressed apart: the
// table `referee audit` prints at the end. Empty when there are no findings.
std::string FormatSummaryTable(const AuditResult& result);
std::string FormatJson(const AuditResult& result, const ReportContext& context);
std::string FormatSarif(const AuditResult& result, const ReportContext& context);
std::string FormatReport(ReportFormat format, const AuditResult& result,
                         const ReportContext& context);

// The SARIF helpers, exposed for tests.
// A 1-based byte column in `line` as a 1-based UTF-16 code-unit column (SARIF's default kind).
int Utf16Column(std::string_view line, int byte_column);
// `path` (relative to cwd, or absolute) as a %SRCROOT%-relative URI with forward slashes and
// percent-encoding; nullopt when the file is outside srcroot.
std::optional<std::string> SrcrootRelativeUri(const std::string& path, const std::string& cwd,
                                              const std::string& srcroot);

}  // namespace referee::rules
