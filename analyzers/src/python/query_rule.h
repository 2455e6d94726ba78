// A Python rule written as a tree-sitter query, compiled once (ts_query_new) in
// Prepare and run on each file with its predicates evaluated here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "python/file_context.h"
#include "python/predicates.h"
#include "referee/base/expected.h"
#include "referee/rules/finding.h"
#include "referee/rules/rule.h"

namespace referee::analyzers::python {

class QuerySet;

// An error at byte `offset` of the rule's query, located in its YAML file: `file:line:col: error:
// message [id]`.
Status LocatedRuleError(const rules::Rule& rule, uint32_t offset, const std::string& message);

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

// One file's traversal by the query cursor: the ModuleIndex nodes, and the rule matches kept for
// evaluation once the index (which predicates need) is built.
struct CollectedMatches {
  struct Match {
    uint32_t pattern;
    uint32_t first_capture;  // into captures
    uint16_t capture_count;
  };
  std::vector<IndexNode> index;
  std::vector<Match> matches;
  std::vector<TSQueryCapture> captures;
  std::vector<char> enabled;  // per rule of the QuerySet
  bool exceeded_match_limit = false;  // kMatchLimit was hit: some matches were dropped
};

// Matches the query cursor keeps in progress at once. tree-sitter 0.20.7 numbers them in 16 bits
// and, with its default of no limit, a 10,000-call chain wrapped the number and crashed the cursor
// (issue 20); real files need a few dozen.
inline constexpr uint32_t kMatchLimit = 1024;

// Every query rule merged into one TSQuery, compiled once, so each file is traversed once however
// many rules there are (issue #4, performance). Patterns of different rules that share their
// structure (PatternStructure: the same text once predicates are dropped) are matched once and each
// rule's predicates are evaluated on that match: most rules start with
// `((call function: (_) @fn) @hit ...)`. Only when the merged query does not compile are the rules
// compiled one by one (QueryRule::Compile) to locate the errors.
class QuerySet {
 public:
  // Returns one located error per malformed rule; the other rules are kept.
  std::vector<Status> Build(const std::vector<rules::Rule>& rules);
  bool empty() const { return entries_.empty(); }
  // Traverses the file once with the query: the ModuleIndex nodes and the matches of the rules
  // `enabled` contains. False when there is no query (no valid rule): build the index by a walk.
  bool Collect(TSNode root, const rules::RuleSet& enabled, TSQueryCursor* cursor,
               CollectedMatches* out) const;
  // Evaluates the predicates of the collected matches.
  void Evaluate(const FileContext& ctx, const std::string& path, const CollectedMatches& collected,
                std::vector<rules::Finding>* out) const;
  // Rule patterns of the query matched per file (after sharing structures), for tests.
  uint32_t pattern_count() const;
  // True when Build took the usual path (TryShared), for tests.
  bool built_shared() const { return built_shared_; }

 private:
  struct Entry {
    rules::Rule rule;
    std::optional<uint32_t> bind;
    bool disabled = false;  // a predicate or bind error
  };
  struct Member {
    uint32_t entry = 0;  // entries_ index
    std::vector<Predicate> predicates;
  };
  // The usual path: splits the rules' patterns as text (query_structure.h) and compiles only the
  // shared query, plus a small query holding the predicates (tree-sitter parses them). False
  // when anything is unexpected: TryMerge then compiles the rules as written.
  bool TryShared(const std::vector<rules::Rule>& rules, std::vector<Status>* errors);
  bool TryMerge(const std::vector<rules::Rule>& rules, std::vector<Status>* errors);
  void CheckBinds(const TSQuery* merged, std::vector<Status>* errors);
  // Builds query_ and groups_ from the merged query's patterns (merged[offsets[e]...] is rule e).
  // Compiles `text` (patterns in groups' order) followed by the ModuleIndex patterns as query_.
  bool CompileWithIndex(std::string text, std::vector<std::vector<Member>> groups);
  void ShareStructures(QueryPtr merged, const std::string& text,
                       const std::vector<uint32_t>& offsets,
                       std::vector<std::vector<Predicate>> predicates);
  std::vector<Entry> entries_;
  std::vector<std::vector<Member>> groups_;  // per pattern of query_
  std::vector<std::optional<IndexKind>> index_kind_;  // per pattern of query_: ModuleIndex patterns
  QueryPtr query_;
  bool built_shared_ = false;
};

}  // namespace referee::analyzers::python
