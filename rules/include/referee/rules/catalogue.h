// The rule set as people read it: `referee rules list` (a table, or JSON) and
// `referee rules explain ID`.
#pragma once

#include <string>
#include <string_view>

#include "referee/base/json.h"
#include "referee/rules/rule.h"

namespace referee::rules {

// ID, CATEGORY, SEVERITY, LANGUAGES, TITLE: one line per rule, columns aligned.
std::string FormatRuleList(const RuleSet& set);
// {"schema_version", "kind": "rules", "rules": [{id, category, severity, languages, title,
// file}], "rule_set_hash"}.
Json RuleListJson(const RuleSet& set);
// Title, category, severity, languages, file, message, rationale, references and pattern.
std::string FormatRuleExplanation(const Rule& rule);
// The rule whose id is closest to `id` (edit distance < 4), for "did you mean"; or null.
const Rule* ClosestRule(const RuleSet& set, std::string_view id);

}  // namespace referee::rules
