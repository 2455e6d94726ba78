// A Python rule written as a tree-sitter query, compiled once (ts_query_new) in
// Prepare and run on each file with its predicates evaluated here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "python/file_context.h"
#include "python/predicates.h"
#include "referee/base/expected.h"
#include "referee/rules/finding.h"
#include "referee/rules/rule.h"

namespace referee::analyzers::python {

class QuerySet;

class QueryRule {
 public:
  // Errors are located in the rule's YAML file: `file:line:col: error: ...
  // [id]`.
  static Expected<std::unique_ptr<QueryRule>> Compile(const rules::Rule& rule);

  const rules::Rule& rule() const { return rule_; }

 private:
  QueryRule(const rules::Rule& rule, QueryPtr query) : rule_(rule), query_(std::move(query)) {}

  rules::Rule rule_;
  QueryPtr query_;
  std::vector<std::vector<Predicate>> predicates_;  // per pattern
  std::optional<uint32_t> bind_;                    // capture reported; outermost when unset
};

// Every query rule merged into one TSQuery, compiled once, so each file is traversed once however
// many rules there are (issue #4, performance). Only when the merged query does not compile are
// the rules compiled one by one (QueryRule::Compile) to locate the errors.
class QuerySet {
 public:
  // Returns one located error per malformed rule; the other rules are kept.
  std::vector<Status> Build(const std::vector<rules::Rule>& rules);
  bool empty() const { return entries_.empty(); }
  // Runs the rules `enabled` contains.
  void Run(const FileContext& ctx, const std::string& path, const rules::RuleSet& enabled,
           TSQueryCursor* cursor, std::vector<rules::Finding>* out) const;

 private:
  struct Entry {
    rules::Rule rule;
    std::optional<uint32_t> bind;
    bool disabled = false;  // a predicate or bind error
  };
  bool TryMerge(const std::vector<rules::Rule>& rules, std::vector<Status>* errors);
  std::vector<Entry> entries_;
  std::vector<uint32_t> pattern_entry_;             // merged pattern -> entries_ index
  std::vector<std::vector<Predicate>> predicates_;  // per merged pattern
  QueryPtr query_;
};

}  // namespace referee::analyzers::python
