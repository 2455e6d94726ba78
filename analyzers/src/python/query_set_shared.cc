// QuerySet::TryShared: the query rules compiled with one expensive ts_query_new (issue #4,
// performance). The merged query of all rules as written costs about 50 ms to compile for the
// Python grammar, the shared query (one pattern per structure, no predicates) about 35 ms, and a
// query of wildcard patterns carrying the predicates almost nothing.
#include <map>

#include "python/query_rule.h"
#include "python/query_structure.h"

namespace referee::analyzers::python {
namespace {

struct SplitPattern {
  uint32_t entry = 0;
  uint32_t offset = 0;  // in the rule's query
  uint32_t group = 0;
  std::string predicates;
};

// Capture ids of `to` by the names of `from`'s captures (UINT32_MAX: absent).
std::vector<uint32_t> RenumberCaptures(const TSQuery* from, const TSQuery* to) {
  std::map<std::string_view, uint32_t> ids;
  for (uint32_t c = 0; c < ts_query_capture_count(to); ++c) {
    uint32_t len = 0;
    const char* name = ts_query_capture_name_for_id(to, c, &len);
    ids.emplace(std::string_view(name, len), c);
  }
  std::vector<uint32_t> out(ts_query_capture_count(from), UINT32_MAX);
  for (uint32_t c = 0; c < out.size(); ++c) {
    uint32_t len = 0;
    const char* name = ts_query_capture_name_for_id(from, c, &len);
    auto it = ids.find(std::string_view(name, len));
    if (it != ids.end()) out[c] = it->second;
  }
  return out;
}

}  // namespace

bool QuerySet::TryShared(const std::vector<rules::Rule>& rules, std::vector<Status>* errors) {
  entries_.clear(), groups_.clear(), index_kind_.clear(), query_.reset();
  built_shared_ = false;
  if (rules.empty()) return false;
  std::vector<SplitPattern> patterns;
  std::map<std::string, uint32_t> group_of;
  std::string shared;
  std::vector<size_t> group_offsets;
  for (const rules::Rule& r : rules) {
    auto e = static_cast<uint32_t>(entries_.size());
    entries_.push_back({r, std::nullopt, false});
    std::optional<std::vector<PatternSpan>> spans = SplitPatterns(r.query);
    if (!spans || spans->empty()) return false;
    for (const PatternSpan& s : *spans) {
      std::string_view text = std::string_view(r.query).substr(s.offset, s.length);
      std::string key = PatternStructure(text);
      auto [it, added] = group_of.emplace(key, static_cast<uint32_t>(group_offsets.size()));
      if (added) {
        group_offsets.push_back(shared.size());
        shared += key + "\n";
      }
      patterns.push_back({e, static_cast<uint32_t>(s.offset), it->second, PatternPredicates(text)});
    }
  }
  if (!CompileWithIndex(shared, std::vector<std::vector<Member>>(group_offsets.size()))) {
    return false;
  }
  for (uint32_t g = 0; g < group_offsets.size(); ++g) {
    if (ts_query_start_byte_for_pattern(query_.get(), g) != group_offsets[g]) return false;
  }
  // The predicates, parsed by tree-sitter: one wildcard pattern per capture name declares the
  // names, then one `((_) PREDICATES)` pattern per rule pattern.
  std::string text;
  uint32_t names = ts_query_capture_count(query_.get());
  for (uint32_t c = 0; c < names; ++c) {
    uint32_t len = 0;
    const char* name = ts_query_capture_name_for_id(query_.get(), c, &len);
    text += "(_) @" + std::string(name, len) + "\n";
  }
  for (const SplitPattern& p : patterns) text += "((_) " + p.predicates + ")\n";
  uint32_t error_offset = 0;
  TSQueryError error = TSQueryErrorNone;
  QueryPtr preds(ts_query_new(PythonLanguage(), text.data(), static_cast<uint32_t>(text.size()),
                              &error_offset, &error));
  if (!preds || ts_query_pattern_count(preds.get()) != names + patterns.size()) return false;
  std::vector<uint32_t> renumber = RenumberCaptures(preds.get(), query_.get());
  for (uint32_t i = 0; i < patterns.size(); ++i) {
    const SplitPattern& p = patterns[i];
    Entry& entry = entries_[p.entry];
    Expected<std::vector<Predicate>> parsed = ParsePredicates(preds.get(), names + i);
    if (!parsed) {
      if (!entry.disabled) {
        errors->push_back(LocatedRuleError(entry.rule, p.offset, parsed.error().message()));
      }
      entry.disabled = true;
      continue;
    }
    for (Predicate& pred : *parsed) {
      pred.capture = renumber[pred.capture];
      if (pred.other_capture) pred.other_capture = renumber[*pred.other_capture];
    }
    groups_[p.group].push_back({p.entry, std::move(*parsed)});
  }
  CheckBinds(query_.get(), errors);
  built_shared_ = true;
  return true;
}

}  // namespace referee::analyzers::python
