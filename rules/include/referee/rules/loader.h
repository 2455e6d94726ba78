// Loads rules from YAML files, one rule per file: rules/<language>/<category>/<id>.yaml
// (docs/rules.md). A malformed rule is an error located in its file
// (`file:line:col: error: ...`); every other rule still loads.
//
//   LoadResult loaded = LoadRules(BundledRuleDirs(), {});
//   for (const Status& e : loaded.errors) Logf(LogLevel::kError, "%s", e.ToString().c_str());
//   Use(loaded.rules);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/status.h"
#include "referee/rules/rule.h"

namespace referee::rules {

struct LoadResult {
  RuleSet rules;               // the well-formed rules, sorted by id
  std::vector<Status> errors;  // one per malformed rule file or unreadable directory
};

// Parses one rule file's text. `path` is used in error locations and as Rule::source_path.
// When `known_check_names` is non-empty, a `check:` must name one of them; when empty, check
// names are left to Analyzer::Prepare.
Expected<Rule> ParseRule(std::string_view text, const std::string& path,
                         const std::vector<std::string>& known_check_names = {});

// Every `*.yaml` under each directory (recursively; hidden and `testdata` directories are
// skipped), or the file itself when a path names a .yaml file. Duplicate ids are errors (the
// first file wins).
LoadResult LoadRules(const std::vector<std::string>& dirs,
                     const std::vector<std::string>& known_check_names = {});

// The rule files LoadRules would read, sorted; errors for missing paths.
Expected<std::vector<std::string>> FindRuleFiles(const std::vector<std::string>& dirs);

// A short hex digest of the rule set: each rule's id and its YAML file's bytes, in id order.
// Reports carry it (schema 2's rule_set_hash), and the search re-audits its incumbents when it
// changes.
std::string RuleSetHash(const RuleSet& set);

// The bundled rules: the source tree's rules/ (compile definition REFEREE_SOURCE_RULES_DIR)
// unless `<exe>/../share/referee/rules` exists beside an installed binary.
std::vector<std::string> BundledRuleDirs();

}  // namespace referee::rules
