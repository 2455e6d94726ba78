// `referee rules lint`: checks a loaded rule set against the conventions the loader does not
// enforce by itself (docs/rules.md): the category directory, a test source beside each rule with
// at least one `ruleid:` and one `ok:` case, and annotations naming only known rules.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "referee/base/status.h"
#include "referee/rules/rule.h"

namespace referee::rules {

// The test source beside a rule: `<dir>/<id>.{cu,cuh,cpp,cc,cxx,py}`, the first that exists.
std::optional<std::string> FindRuleTestFile(const Rule& rule);

// One located error per problem; empty when the rule set is clean.
std::vector<Status> LintRules(const RuleSet& rules);

}  // namespace referee::rules
