// Everything the predicates and checks know about the file being analyzed.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "python/module_index.h"
#include "python/regex_prefilter.h"
#include "python/submission.h"
#include "python/values.h"
#include "python/timer_regions.h"
#include "referee/analyzers/audit_config.h"

namespace referee::analyzers::python {

class FileContext {
 public:
  FileContext(const ModuleIndex& index, const AuditConfig& config)
      : index_(index), config_(config) {}

  const ModuleIndex& index() const { return index_; }
  const AuditConfig& config() const { return config_; }
  std::string_view source() const { return index_.source(); }
  // Built on first use: only rules about the training loop's clock need it.
  const TimerRegions& timers() const {
    if (!timers_) timers_.emplace(index_, config_.timers);
    return *timers_;
  }
  // The config's validation-data patterns, compiled on first use.
  const std::vector<FastRegex>& validation_patterns() const;
  // True when the node's text (a string's content, or a name chain's last part)
  // names validation data.
  bool IsValidationData(TSNode n) const;
  // The canonical name of an expression (ValueResolver::Resolve: import aliases, getattr,
  // importlib, sys.modules, vars/__dict__, names bound once to those), memoized per node
  // (predicates of several rules resolve the same call). A call resolves to its callee, except
  // the calls that denote a module or attribute (`importlib.import_module("time")`).
  const std::string& Resolve(TSNode n) const;
  // Every name the expression may hold (ValueResolver::ResolveAll).
  const std::vector<std::string>& ResolveAll(TSNode n) const;
  const ValueResolver& values() const;
  // Regex search of `text` for the predicate `key`, memoized when the prefilter lets the text
  // through (names repeat within a file).
  bool CachedSearch(const void* key, const FastRegex& re, const std::string& text) const;
  // False when no text built from this file's literals can match `re` (its prefilter rejects the
  // whole source), memoized per predicate `key`.
  bool SourceMayMatch(const void* key, const FastRegex& re) const;
  // The file calls the sanctioned evaluator or imports a fixed module (a
  // training script).
  bool UsesEvaluator() const;
  // The candidate-code model (context, entry points, reachable code), built on first use.
  const SubmissionModel& submission() const;
  // The file's context is a kernel submission (SubmissionModel).
  bool IsKernelSubmission() const;
  // A memo of the names each function binds locally (taint.cc computes them): checks ask once
  // per assignment target, and walking the function each time made the audit quadratic.
  const std::vector<std::string>* FindLocalNames(TSNode fn) const;
  const std::vector<std::string>& StoreLocalNames(TSNode fn, std::vector<std::string> names) const;

 private:
  const ModuleIndex& index_;
  const AuditConfig& config_;
  mutable std::optional<TimerRegions> timers_;
  mutable std::shared_ptr<const std::vector<FastRegex>> validation_patterns_;
  mutable std::optional<bool> uses_evaluator_;
  mutable std::optional<SubmissionModel> submission_;
  mutable std::unordered_map<uint64_t, std::string> resolved_;
  mutable std::unordered_map<uint64_t, std::vector<std::string>> resolved_all_;
  mutable std::optional<ValueResolver> values_;
  mutable std::unordered_map<uint64_t, bool> searches_;
  mutable std::unordered_map<const void*, bool> source_may_match_;
  mutable std::unordered_map<uint64_t, std::vector<std::string>> local_names_;
};

// Canonical-name helpers over the config.
bool IsFixedModuleName(const AuditConfig& config, const std::string& resolved);
bool NameInList(const std::vector<std::string>& list, const std::string& resolved);
// `resolved` is `name` or ends with `.name` for some name in the list
// (evaluate_bpb matches prepare.evaluate_bpb).
bool NameOrSuffixInList(const std::vector<std::string>& list, const std::string& resolved);

}  // namespace referee::analyzers::python
