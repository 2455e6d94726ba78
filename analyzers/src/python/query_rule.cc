#include "python/query_rule.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>

#include "python/finding_util.h"
#include "python/query_structure.h"
#include "referee/base/strings.h"

namespace referee::analyzers::python {
namespace {

const char* QueryErrorName(TSQueryError e) {
  switch (e) {
    case TSQueryErrorSyntax:
      return "query syntax error";
    case TSQueryErrorNodeType:
      return "unknown node type in query";
    case TSQueryErrorField:
      return "unknown field name in query";
    case TSQueryErrorCapture:
      return "unknown capture in query";
    case TSQueryErrorStructure:
      return "impossible pattern structure in query";
    case TSQueryErrorLanguage:
      return "query language mismatch";
    default:
      return "query error";
  }
}

}  // namespace

Status LocatedRuleError(const rules::Rule& rule, uint32_t offset, const std::string& message) {
  int line = rule.pattern_pos.line, col = rule.pattern_pos.col;
  uint32_t line_start = 0;
  int newlines = 0;
  for (uint32_t i = 0; i < offset && i < rule.query.size(); ++i) {
    if (rule.query[i] == '\n') ++newlines, line_start = i + 1;
  }
  if (line == 0) line = 1, col = 1;
  return InvalidArgumentError(
      StrFormat("%s [%s]", message.c_str(), rule.id.c_str()),
      SourceLoc{rule.source_path, line + newlines, col + static_cast<int>(offset - line_start)});
}

Expected<std::unique_ptr<QueryRule>> QueryRule::Compile(const rules::Rule& rule) {
  uint32_t error_offset = 0;
  TSQueryError error = TSQueryErrorNone;
  QueryPtr query(ts_query_new(PythonLanguage(), rule.query.data(),
                              static_cast<uint32_t>(rule.query.size()), &error_offset, &error));
  if (!query) return LocatedRuleError(rule, error_offset, QueryErrorName(error));
  std::unique_ptr<QueryRule> out(new QueryRule(rule, std::move(query)));
  uint32_t patterns = ts_query_pattern_count(out->query_.get());
  if (patterns == 0) return LocatedRuleError(rule, 0, "query has no pattern");
  for (uint32_t p = 0; p < patterns; ++p) {
    Expected<std::vector<Predicate>> preds = ParsePredicates(out->query_.get(), p);
    if (!preds) {
      return LocatedRuleError(rule, ts_query_start_byte_for_pattern(out->query_.get(), p),
                          preds.error().message());
    }
    out->predicates_.push_back(std::move(*preds));
  }
  if (!rule.bind.empty()) {
    uint32_t captures = ts_query_capture_count(out->query_.get());
    for (uint32_t c = 0; c < captures; ++c) {
      uint32_t len = 0;
      const char* name = ts_query_capture_name_for_id(out->query_.get(), c, &len);
      if (std::string_view(name, len) == rule.bind) out->bind_ = c;
    }
    if (!out->bind_) {
      return LocatedRuleError(rule, 0,
                          StrFormat("bind names no capture of the query: '%s'", rule.bind.c_str()));
    }
  }
  return out;
}

namespace {

// The node a match reports: the bound capture, else the outermost captured node.
bool PickNode(const TSQueryMatch& match, std::optional<uint32_t> bind, TSNode* node) {
  bool have = false;
  for (uint16_t i = 0; i < match.capture_count; ++i) {
    TSNode n = match.captures[i].node;
    if (bind) {
      if (match.captures[i].index == *bind && !have) *node = n, have = true;
      continue;
    }
    if (!have || (ts_node_start_byte(n) <= ts_node_start_byte(*node) &&
                  ts_node_end_byte(n) >= ts_node_end_byte(*node))) {
      *node = n, have = true;
    }
  }
  return have;
}

// The ModuleIndex's node kinds, matched by the rules' query so that each file is traversed once.
struct IndexPattern {
  const char* pattern;
  IndexKind kind;
};
constexpr IndexPattern kIndexPatterns[] = {
    {"(module (expression_statement (assignment) @referee.index))", IndexKind::kModuleAssignment},
    {"(assignment) @referee.index", IndexKind::kAssignment},
    {"(augmented_assignment) @referee.index", IndexKind::kAugmentedAssignment},
    {"(call) @referee.index", IndexKind::kCall},
    {"(class_definition) @referee.index", IndexKind::kClass},
    {"(function_definition) @referee.index", IndexKind::kFunction},
    {"(import_statement) @referee.index", IndexKind::kImport},
    {"(import_from_statement) @referee.index", IndexKind::kImportFrom},
    {"(return_statement) @referee.index", IndexKind::kReturn},
    {"(with_item) @referee.index", IndexKind::kWithItem},
    {"(binary_operator) @referee.index", IndexKind::kBinaryOperator},
    {"(for_statement) @referee.index", IndexKind::kFor},
};

// The rule (entries index) whose text holds merged-query byte `start`.
uint32_t EntryAt(const std::vector<uint32_t>& offsets, uint32_t start) {
  return static_cast<uint32_t>(std::upper_bound(offsets.begin(), offsets.end(), start) -
                               offsets.begin() - 1);
}

}  // namespace

std::vector<Status> QuerySet::Build(const std::vector<rules::Rule>& rules) {
  std::vector<Status> errors;
  if (TryShared(rules, &errors) || (errors.clear(), TryMerge(rules, &errors))) return errors;
  // A syntax error somewhere: compile rule by rule to locate it, then merge the valid rules.
  errors.clear();
  std::vector<rules::Rule> valid;
  for (const rules::Rule& r : rules) {
    Expected<std::unique_ptr<QueryRule>> q = QueryRule::Compile(r);
    if (!q) {
      errors.push_back(q.error());
      continue;
    }
    valid.push_back(r);
  }
  if (!TryMerge(valid, &errors))
    errors.push_back(InternalError("merging the Python query rules failed"));
  return errors;
}

bool QuerySet::TryMerge(const std::vector<rules::Rule>& rules, std::vector<Status>* errors) {
  entries_.clear();
  groups_.clear();
  query_.reset();
  std::string merged;
  std::vector<uint32_t> offsets;
  for (const rules::Rule& r : rules) {
    offsets.push_back(static_cast<uint32_t>(merged.size()));
    entries_.push_back({r, std::nullopt, false});
    merged += r.query;
    merged += "\n";
  }
  if (entries_.empty()) return true;
  uint32_t error_offset = 0;
  TSQueryError error = TSQueryErrorNone;
  QueryPtr query(ts_query_new(PythonLanguage(), merged.data(),
                              static_cast<uint32_t>(merged.size()), &error_offset, &error));
  if (!query) return false;
  uint32_t patterns = ts_query_pattern_count(query.get());
  std::vector<std::vector<Predicate>> predicates;
  for (uint32_t p = 0; p < patterns; ++p) {
    uint32_t start = ts_query_start_byte_for_pattern(query.get(), p);
    uint32_t e = EntryAt(offsets, start);
    Expected<std::vector<Predicate>> preds = ParsePredicates(query.get(), p);
    if (!preds) {
      if (!entries_[e].disabled) {
        errors->push_back(
            LocatedRuleError(entries_[e].rule, start - offsets[e], preds.error().message()));
      }
      entries_[e].disabled = true;
      predicates.emplace_back();
      continue;
    }
    predicates.push_back(std::move(*preds));
  }
  CheckBinds(query.get(), errors);
  ShareStructures(std::move(query), merged, offsets, std::move(predicates));
  return true;
}

// `@bind` in the query as a whole capture name (not a prefix of a longer one). Plain search,
// not a regex built from the name: a rule file's bind is untrusted text ("hi(t" made
// std::regex throw out of the loader: rule_fuzzer).
static bool NamesCapture(std::string_view query, const std::string& bind) {
  std::string at = "@" + bind;
  for (size_t i = query.find(at); i != std::string_view::npos; i = query.find(at, i + 1)) {
    size_t end = i + at.size();
    if (end == query.size()) return true;
    char c = query[end];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') {
      return true;
    }
  }
  return false;
}

void QuerySet::CheckBinds(const TSQuery* merged, std::vector<Status>* errors) {
  uint32_t captures = ts_query_capture_count(merged);
  for (Entry& e : entries_) {
    if (e.rule.bind.empty() || e.disabled) continue;
    for (uint32_t c = 0; c < captures; ++c) {
      uint32_t len = 0;
      const char* name = ts_query_capture_name_for_id(merged, c, &len);
      if (std::string_view(name, len) == e.rule.bind) e.bind = c;
    }
    if (!e.bind || !NamesCapture(e.rule.query, e.rule.bind)) {
      errors->push_back(LocatedRuleError(
          e.rule, 0, StrFormat("bind names no capture of the query: '%s'", e.rule.bind.c_str())));
      e.disabled = true;
    }
  }
}

void QuerySet::ShareStructures(QueryPtr merged, const std::string& text,
                               const std::vector<uint32_t>& offsets,
                               std::vector<std::vector<Predicate>> predicates) {
  uint32_t patterns = ts_query_pattern_count(merged.get());
  std::map<std::string, uint32_t> group_of;
  std::string shared;
  std::vector<std::vector<Member>> groups, unshared;
  for (uint32_t p = 0; p < patterns; ++p) {
    unshared.emplace_back();
    uint32_t start = ts_query_start_byte_for_pattern(merged.get(), p);
    uint32_t e = EntryAt(offsets, start);
    if (entries_[e].disabled) continue;
    unshared.back().push_back({e, predicates[p]});
    uint32_t end = e + 1 < offsets.size() ? offsets[e + 1] : static_cast<uint32_t>(text.size());
    if (p + 1 < patterns) end = std::min(end, ts_query_start_byte_for_pattern(merged.get(), p + 1));
    std::string key = PatternStructure(std::string_view(text).substr(start, end - start));
    auto [it, added] = group_of.emplace(key, static_cast<uint32_t>(groups.size()));
    if (added) {
      shared += key + "\n";
      groups.emplace_back();
    }
    groups[it->second].push_back({e, std::move(predicates[p])});
  }
  if (!CompileWithIndex(std::move(shared), std::move(groups)) &&
      !CompileWithIndex(text, std::move(unshared))) {
    // Neither compiles (not expected: a subset of a query that compiled, predicates dropped).
    query_.reset(), groups_.clear(), index_kind_.clear();
    return;
  }
  // Capture ids are per query: renumber the predicates' and binds' by name.
  std::vector<uint32_t> renumber(ts_query_capture_count(merged.get()), UINT32_MAX);
  for (uint32_t c = 0; c < ts_query_capture_count(query_.get()); ++c) {
    uint32_t len = 0;
    const char* name = ts_query_capture_name_for_id(query_.get(), c, &len);
    for (uint32_t m = 0; m < renumber.size(); ++m) {
      uint32_t mlen = 0;
      const char* mname = ts_query_capture_name_for_id(merged.get(), m, &mlen);
      if (std::string_view(name, len) == std::string_view(mname, mlen)) renumber[m] = c;
    }
  }
  for (auto& group : groups_) {
    for (Member& member : group) {
      for (Predicate& pred : member.predicates) {
        pred.capture = renumber[pred.capture];
        if (pred.other_capture) pred.other_capture = renumber[*pred.other_capture];
      }
    }
  }
  for (Entry& e : entries_) {
    if (e.bind) e.bind = renumber[*e.bind];
  }
}

bool QuerySet::CompileWithIndex(std::string text, std::vector<std::vector<Member>> groups) {
  std::vector<std::optional<IndexKind>> kinds(groups.size());
  for (const IndexPattern& p : kIndexPatterns) {
    text += p.pattern;
    text += "\n";
    kinds.push_back(p.kind);
    groups.emplace_back();
  }
  uint32_t error_offset = 0;
  TSQueryError error = TSQueryErrorNone;
  QueryPtr query(ts_query_new(PythonLanguage(), text.data(), static_cast<uint32_t>(text.size()),
                              &error_offset, &error));
  if (!query || ts_query_pattern_count(query.get()) != groups.size()) return false;
  query_ = std::move(query);
  groups_ = std::move(groups);
  index_kind_ = std::move(kinds);
  return true;
}

uint32_t QuerySet::pattern_count() const {
  return static_cast<uint32_t>(
      std::count(index_kind_.begin(), index_kind_.end(), std::optional<IndexKind>()));
}

bool QuerySet::Collect(TSNode root, const rules::RuleSet& enabled, TSQueryCursor* cursor,
                       CollectedMatches* out) const {
  if (!query_) return false;
  out->enabled.assign(entries_.size(), 0);
  for (size_t i = 0; i < entries_.size(); ++i) {
    out->enabled[i] = !entries_[i].disabled && enabled.Find(entries_[i].rule.id) != nullptr;
  }
  ts_query_cursor_set_match_limit(cursor, kMatchLimit);
  ts_query_cursor_exec(cursor, query_.get(), root);
  TSQueryMatch match;
  while (ts_query_cursor_next_match(cursor, &match)) {
    if (match.capture_count == 0) continue;
    if (const std::optional<IndexKind>& kind = index_kind_[match.pattern_index]) {
      out->index.push_back({*kind, match.captures[0].node});
      continue;
    }
    bool wanted = false;
    for (const Member& member : groups_[match.pattern_index]) {
      wanted = wanted || out->enabled[member.entry];
    }
    if (!wanted) continue;
    out->matches.push_back({match.pattern_index, static_cast<uint32_t>(out->captures.size()),
                            match.capture_count});
    out->captures.insert(out->captures.end(), match.captures,
                         match.captures + match.capture_count);
  }
  out->exceeded_match_limit = ts_query_cursor_did_exceed_match_limit(cursor);
  return true;
}

void QuerySet::Evaluate(const FileContext& ctx, const std::string& path,
                        const CollectedMatches& collected,
                        std::vector<rules::Finding>* out) const {
  std::set<std::tuple<uint32_t, uint32_t, uint32_t>> seen;
  for (const CollectedMatches::Match& m : collected.matches) {
    TSQueryMatch match{0, static_cast<uint16_t>(m.pattern), m.capture_count,
                       collected.captures.data() + m.first_capture};
    for (const Member& member : groups_[m.pattern]) {
      if (!collected.enabled[member.entry]) continue;
      if (!PredicatesHold(member.predicates, match, ctx)) continue;
      TSNode node{};
      if (!PickNode(match, entries_[member.entry].bind, &node)) continue;
      if (!seen.insert({member.entry, ts_node_start_byte(node), ts_node_end_byte(node)}).second) {
        continue;
      }
      out->push_back(MakeFinding(entries_[member.entry].rule, node, ctx.source(), path));
    }
  }
}

rules::Finding MakeFinding(const rules::Rule& rule, TSNode node, std::string_view source,
                           const std::string& path, const std::string& message) {
  rules::Finding f;
  f.rule_id = rule.id;
  f.category = rule.category;
  f.severity = rule.severity;
  f.path = path;
  LineCol b = PointToLineCol(ts_node_start_point(node));
  LineCol e = PointToLineCol(ts_node_end_point(node));
  f.line = b.line, f.column = b.col, f.end_line = e.line, f.end_column = e.col;
  f.message = message.empty() ? rule.message : message;
  f.snippet = LineText(source, b.line);
  return f;
}

}  // namespace referee::analyzers::python
