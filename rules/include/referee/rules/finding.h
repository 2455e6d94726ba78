// What an audit produces: findings, per-file outcomes and run-level errors.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "referee/rules/rule.h"

namespace referee::rules {

// Why a finding does not count: an inline comment `referee: ignore[rule-id] -- why` next to it
// (honoured only when the trusted config allows), or an entry of the --baseline report. A
// suppressed finding is still listed in every report, marked.
struct Suppression {
  std::string kind;           // "inline" or "baseline"
  std::string justification;  // the comment's reason, or the baseline file's path
};

struct Finding {
  std::string rule_id;
  Category category = Category::kEnvironment;
  Severity severity = Severity::kWarning;
  std::string path;  // as reported: relative to the current directory when possible
  int line = 0;      // 1-based
  int column = 0;    // 1-based, in bytes
  int end_line = 0;
  int end_column = 0;   // exclusive: one past the last byte of the reported token
  std::string message;
  std::string snippet;  // the source line of `line`
  std::optional<Suppression> suppressed;
};

enum class FileStatus { kOk, kPartial, kError, kSkipped };
std::string_view FileStatusName(FileStatus s);  // "ok" | "partial" | "error" | "skipped"

struct FileResult {
  std::string path;
  Language language = Language::kCpp;
  FileStatus status = FileStatus::kOk;
  std::string error;  // one line, `path:line:col: error: ...` style; empty when ok
  // Per-file notes that are not findings (e.g. "missing include 'torch/extension.h'").
  std::vector<std::string> notes;
};

struct AuditResult {
  std::vector<FileResult> files;
  std::vector<Finding> findings;
  std::vector<std::string> errors;  // run-level: bad rules, missing paths, ...
};

// Sorts by path, line, column, rule id and drops exact duplicates (host + device passes).
void SortAndDeduplicate(std::vector<Finding>* findings);

// Sets each finding's severity to its rule's severity in `context` (Rule::SeverityIn) and drops
// the findings of rules that are off there. Findings of rules not in `rules` are kept as they are.
void ApplyContext(const RuleSet& rules, Context context, std::vector<Finding>* findings);

}  // namespace referee::rules
