// Findings that do not count (issue #15), always still listed in the report:
//   - inline: a comment `referee: ignore[rule-id, other-id] -- why` on the finding's line, or
//     alone on the line above it (`#` or `//` comments). Honoured only when the trusted config
//     allows suppressions: a submission's own files must not silence the audit of themselves.
//     A comment without a reason, or one the config does not allow, is a note, never silent.
//   - baseline: a finding that an earlier audit report (--baseline old.json) already holds, by
//     rule, file and line text (not line number: lines move), counted as a multiset.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "referee/base/expected.h"
#include "referee/rules/finding.h"

namespace referee::analyzers {

struct InlineSuppression {
  std::vector<std::string> rules;
  std::string reason;  // after "--"; empty: none given
};
// The suppression in one source line, if it has one.
std::optional<InlineSuppression> ParseSuppressionComment(std::string_view line);

// Marks the findings their source files suppress; files are read relative to `cwd`.
void ApplyInlineSuppressions(rules::AuditResult& result, const std::string& cwd, bool allowed);

// An earlier report's findings: (rule, path, line text without blanks) -> how many.
using Baseline = std::map<std::tuple<std::string, std::string, std::string>, int>;
Expected<Baseline> LoadBaseline(const std::string& path);
void ApplyBaseline(rules::AuditResult& result, Baseline baseline, const std::string& path);

}  // namespace referee::analyzers
