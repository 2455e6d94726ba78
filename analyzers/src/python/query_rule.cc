#include "python/query_rule.h"

#include <algorithm>
#include <regex>
#include <set>
#include <tuple>

#include "python/finding_util.h"
#include "referee/base/strings.h"

namespace referee::analyzers::python {
namespace {

Status LocatedError(const rules::Rule& rule, uint32_t offset, const std::string& message) {
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

Expected<std::unique_ptr<QueryRule>> QueryRule::Compile(const rules::Rule& rule) {
  uint32_t error_offset = 0;
  TSQueryError error = TSQueryErrorNone;
  QueryPtr query(ts_query_new(PythonLanguage(), rule.query.data(),
                              static_cast<uint32_t>(rule.query.size()), &error_offset, &error));
  if (!query) return LocatedError(rule, error_offset, QueryErrorName(error));
  std::unique_ptr<QueryRule> out(new QueryRule(rule, std::move(query)));
  uint32_t patterns = ts_query_pattern_count(out->query_.get());
  if (patterns == 0) return LocatedError(rule, 0, "query has no pattern");
  for (uint32_t p = 0; p < patterns; ++p) {
    Expected<std::vector<Predicate>> preds = ParsePredicates(out->query_.get(), p);
    if (!preds) {
      return LocatedError(rule, ts_query_start_byte_for_pattern(out->query_.get(), p),
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
      return LocatedError(rule, 0,
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

}  // namespace

std::vector<Status> QuerySet::Build(const std::vector<rules::Rule>& rules) {
  std::vector<Status> errors;
  if (TryMerge(rules, &errors)) return errors;
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
  pattern_entry_.clear();
  predicates_.clear();
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
  query_.reset(ts_query_new(PythonLanguage(), merged.data(), static_cast<uint32_t>(merged.size()),
                            &error_offset, &error));
  if (!query_) return false;
  uint32_t patterns = ts_query_pattern_count(query_.get());
  for (uint32_t p = 0; p < patterns; ++p) {
    uint32_t start = ts_query_start_byte_for_pattern(query_.get(), p);
    uint32_t e = static_cast<uint32_t>(std::upper_bound(offsets.begin(), offsets.end(), start) -
                                       offsets.begin() - 1);
    pattern_entry_.push_back(e);
    Expected<std::vector<Predicate>> preds = ParsePredicates(query_.get(), p);
    if (!preds) {
      if (!entries_[e].disabled) {
        errors->push_back(
            LocatedError(entries_[e].rule, start - offsets[e], preds.error().message()));
      }
      entries_[e].disabled = true;
      predicates_.emplace_back();
      continue;
    }
    predicates_.push_back(std::move(*preds));
  }
  uint32_t captures = ts_query_capture_count(query_.get());
  for (Entry& e : entries_) {
    if (e.rule.bind.empty() || e.disabled) continue;
    std::regex own("@" + e.rule.bind + "($|[^A-Za-z0-9_.-])");
    for (uint32_t c = 0; c < captures; ++c) {
      uint32_t len = 0;
      const char* name = ts_query_capture_name_for_id(query_.get(), c, &len);
      if (std::string_view(name, len) == e.rule.bind) e.bind = c;
    }
    if (!e.bind || !std::regex_search(e.rule.query, own)) {
      errors->push_back(LocatedError(
          e.rule, 0, StrFormat("bind names no capture of the query: '%s'", e.rule.bind.c_str())));
      e.disabled = true;
    }
  }
  return true;
}

void QuerySet::Run(const FileContext& ctx, const std::string& path, const rules::RuleSet& enabled,
                   TSQueryCursor* cursor, std::vector<rules::Finding>* out) const {
  if (!query_) return;
  std::vector<char> on(entries_.size());
  for (size_t i = 0; i < entries_.size(); ++i) on[i] = enabled.Find(entries_[i].rule.id) != nullptr;
  ts_query_cursor_exec(cursor, query_.get(), ctx.index().root());
  std::set<std::tuple<uint32_t, uint32_t, uint32_t>> seen;
  TSQueryMatch match;
  while (ts_query_cursor_next_match(cursor, &match)) {
    uint32_t entry = pattern_entry_[match.pattern_index];
    if (!on[entry] || entries_[entry].disabled || match.capture_count == 0) continue;
    if (!PredicatesHold(predicates_[match.pattern_index], match, ctx)) continue;
    TSNode node{};
    if (!PickNode(match, entries_[entry].bind, &node)) continue;
    if (!seen.insert({entry, ts_node_start_byte(node), ts_node_end_byte(node)}).second) continue;
    out->push_back(MakeFinding(entries_[entry].rule, node, ctx.source(), path));
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
