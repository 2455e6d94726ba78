#include "python/predicates.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "python/scopes.h"
#include "referee/base/strings.h"

namespace referee::analyzers::python {
namespace {

struct KindName {
  const char* name;
  PredicateKind kind;
  int min_args;  // string arguments after the capture (-1: a capture or strings)
};

constexpr std::array<KindName, 37> kKinds = {{
    {"eq?", PredicateKind::kEq, -1},
    {"match?", PredicateKind::kMatch, 1},
    {"any-of?", PredicateKind::kAnyOf, 1},
    {"resolves-to?", PredicateKind::kResolvesTo, 1},
    {"resolves-match?", PredicateKind::kResolvesMatch, 1},
    {"inside-function?", PredicateKind::kInsideFunction, 0},
    {"inside-nn-module?", PredicateKind::kInsideNnModule, 0},
    {"inside-loop?", PredicateKind::kInsideLoop, 0},
    {"inside-triton-jit?", PredicateKind::kInsideTritonJit, 0},
    {"at-module-level?", PredicateKind::kAtModuleLevel, 0},
    {"inside-class?", PredicateKind::kInsideClass, 0},
    {"inside-try?", PredicateKind::kInsideTry, 0},
    {"inside-except?", PredicateKind::kInsideExcept, 0},
    {"inside-entry-function?", PredicateKind::kInsideEntryFunction, 0},
    {"inside-timed-region?", PredicateKind::kInsideTimed, 0},
    {"inside-untimed-gap?", PredicateKind::kInsideUntimedGap, 0},
    {"before-timer-start?", PredicateKind::kBeforeTimerStart, 0},
    {"inside-evaluator?", PredicateKind::kInsideEvaluator, 0},
    {"is-evaluator?", PredicateKind::kIsEvaluator, 0},
    {"is-fixed-module?", PredicateKind::kIsFixedModule, 0},
    {"is-timer?", PredicateKind::kIsTimer, 0},
    {"is-budget?", PredicateKind::kIsBudget, 0},
    {"is-allowed-call?", PredicateKind::kIsAllowedCall, 0},
    {"is-validation-data?", PredicateKind::kIsValidationData, 0},
    {"file-imports?", PredicateKind::kFileImports, 1},
    {"file-uses-evaluator?", PredicateKind::kFileUsesEvaluator, 0},
    {"in-kernel-submission?", PredicateKind::kInKernelSubmission, 0},
    {"in-submission-code?", PredicateKind::kInSubmissionCode, 0},
    {"file-has-training-clock?", PredicateKind::kFileHasTrainingClock, 0},
    {"in-scope?", PredicateKind::kInScope, 0},
    {"per-call?", PredicateKind::kPerCall, 0},
    {"import-time?", PredicateKind::kImportTime, 0},
    {"in-context?", PredicateKind::kInContext, 1},
    {"may-resolve-to?", PredicateKind::kMayResolveTo, 1},
    {"may-resolve-match?", PredicateKind::kMayResolveMatch, 1},
    {"string-match?", PredicateKind::kStringMatch, 1},
    {"in-entry-point?", PredicateKind::kInEntryPoint, 0},
}};

std::string StringValue(const TSQuery* q, uint32_t id) {
  uint32_t len = 0;
  const char* s = ts_query_string_value_for_id(q, id, &len);
  return std::string(s, len);
}

// Splits "not-"/"any-" prefixes off a predicate name.
Expected<Predicate> Classify(std::string name) {
  Predicate p;
  if (name != "any-of?" && StartsWith(name, "any-")) p.any = true, name = name.substr(4);
  if (StartsWith(name, "not-")) p.negate = true, name = name.substr(4);
  for (const KindName& k : kKinds) {
    if (name == k.name) {
      p.kind = k.kind;
      return p;
    }
  }
  return InvalidArgumentError(StrFormat("unknown predicate '#%s'", name.c_str()));
}

int Cost(PredicateKind k) {
  switch (k) {
    case PredicateKind::kEq:
    case PredicateKind::kAnyOf:
    case PredicateKind::kFileImports:
    case PredicateKind::kFileUsesEvaluator:
    case PredicateKind::kInKernelSubmission:
    case PredicateKind::kInContext:
      return 0;
    case PredicateKind::kResolvesTo:
    case PredicateKind::kIsEvaluator:
    case PredicateKind::kIsFixedModule:
    case PredicateKind::kIsTimer:
    case PredicateKind::kIsBudget:
    case PredicateKind::kIsAllowedCall:
      return 1;
    case PredicateKind::kMatch:
    case PredicateKind::kResolvesMatch:
    case PredicateKind::kIsValidationData:
    case PredicateKind::kStringMatch:
      return 2;  // regex searches, memoized per file
    case PredicateKind::kMayResolveTo:
    case PredicateKind::kMayResolveMatch:
      return 3;  // follows bindings and call sites
    default:
      return 3;  // scopes: a walk up the parents (ts_node_parent descends from the root)
  }
}

bool AnyOf(const std::vector<std::string>& args, const std::string& value) {
  for (const std::string& a : args) {
    if (a == value) return true;
  }
  return false;
}

bool TestNode(const Predicate& p, TSNode n, const TSQueryMatch& match, const FileContext& ctx) {
  std::string_view src = ctx.source();
  const AuditConfig& cfg = ctx.config();
  switch (p.kind) {
    case PredicateKind::kEq: {
      if (p.other_capture) {
        for (uint16_t i = 0; i < match.capture_count; ++i) {
          if (match.captures[i].index == *p.other_capture) {
            return NodeText(match.captures[i].node, src) == NodeText(n, src);
          }
        }
        return false;
      }
      return NodeText(n, src) == p.args[0];
    }
    case PredicateKind::kMatch: {
      return p.regex->Search(NodeText(n, src));
    }
    case PredicateKind::kAnyOf:
      return AnyOf(p.args, std::string(NodeText(n, src)));
    case PredicateKind::kResolvesTo:
      return AnyOf(p.args, ctx.Resolve(n));
    case PredicateKind::kResolvesMatch: {
      const std::string& r = ctx.Resolve(n);
      return !r.empty() && ctx.CachedSearch(&p, *p.regex, r);
    }
    case PredicateKind::kMayResolveTo:
      for (const std::string& v : ctx.ResolveAll(n)) {
        if (AnyOf(p.args, v)) return true;
      }
      return false;
    case PredicateKind::kMayResolveMatch:
      for (const std::string& v : ctx.ResolveAll(n)) {
        if (ctx.CachedSearch(&p, *p.regex, v)) return true;
      }
      return false;
    case PredicateKind::kStringMatch: {
      if (!ctx.SourceMayMatch(&p, *p.regex)) return false;
      std::optional<std::string> shape = ctx.values().StringShape(n);
      return shape && ctx.CachedSearch(&p, *p.regex, *shape);
    }
    case PredicateKind::kInsideFunction:
      return InsideFunction(n, src, p.args);
    case PredicateKind::kInsideNnModule:
      return InsideNnModule(n, ctx.index());
    case PredicateKind::kInsideLoop:
      return InsideLoop(n);
    case PredicateKind::kInsideTritonJit:
      return InsideTritonJit(n, ctx.index());
    case PredicateKind::kAtModuleLevel:
      return AtModuleLevel(n);
    case PredicateKind::kInsideClass:
      return InsideClass(n, src, p.args);
    case PredicateKind::kInsideTry:
      return InsideTryBody(n);
    case PredicateKind::kInsideExcept:
      return InsideExcept(n);
    case PredicateKind::kInsideEntryFunction:
    case PredicateKind::kPerCall:
      return ctx.submission().PerCall(n);
    case PredicateKind::kInsideTimed:
      return ctx.timers().InTimed(n);
    case PredicateKind::kInsideUntimedGap:
      return ctx.timers().InUntimedGap(n);
    case PredicateKind::kBeforeTimerStart:
      return ctx.timers().BeforeTimerStart(n);
    case PredicateKind::kInsideEvaluator:
      return !cfg.evaluators.empty() && InsideFunction(n, src, cfg.evaluators);
    case PredicateKind::kIsEvaluator:
      return NameOrSuffixInList(cfg.evaluators, ctx.Resolve(n));
    case PredicateKind::kIsFixedModule:
      return IsFixedModuleName(cfg, ctx.Resolve(n));
    case PredicateKind::kIsTimer:
      return NameInList(cfg.timers, ctx.Resolve(n));
    case PredicateKind::kIsBudget:
      return NameOrSuffixInList(cfg.budget_names, ctx.Resolve(n));
    case PredicateKind::kIsAllowedCall:
      return NameInList(cfg.allowed_calls, ctx.Resolve(n));
    case PredicateKind::kIsValidationData:
      return ctx.IsValidationData(n);
    case PredicateKind::kFileImports:
      for (const std::string& m : p.args) {
        if (ctx.index().Imports(m)) return true;
      }
      return false;
    case PredicateKind::kFileUsesEvaluator:
      return ctx.UsesEvaluator();
    case PredicateKind::kInKernelSubmission:
      return ctx.IsKernelSubmission();
    case PredicateKind::kFileHasTrainingClock:
      return ctx.timers().has_timer();
    case PredicateKind::kInSubmissionCode:
    case PredicateKind::kInScope:
      return ctx.submission().InScope(n);
    case PredicateKind::kImportTime:
      return ctx.submission().ImportTime(n);
    case PredicateKind::kInEntryPoint:
      return ctx.submission().InEntryPoint(n);
    case PredicateKind::kInContext:
      return AnyOf(p.args, std::string(rules::ContextName(ctx.submission().context())));
  }
  return false;
}

}  // namespace

Expected<std::vector<Predicate>> ParsePredicates(const TSQuery* query, uint32_t pattern) {
  uint32_t count = 0;
  const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(query, pattern, &count);
  std::vector<Predicate> out;
  for (uint32_t i = 0; i < count;) {
    uint32_t end = i;
    while (end < count && steps[end].type != TSQueryPredicateStepTypeDone) ++end;
    if (end == i || steps[i].type != TSQueryPredicateStepTypeString) {
      return InvalidArgumentError("malformed predicate");
    }
    std::string name = StringValue(query, steps[i].value_id);
    REFEREE_ASSIGN_OR_RETURN(Predicate p, Classify(name));
    if (i + 1 >= end || steps[i + 1].type != TSQueryPredicateStepTypeCapture) {
      return InvalidArgumentError(
          StrFormat("'#%s' needs a capture as its first argument", name.c_str()));
    }
    p.capture = steps[i + 1].value_id;
    for (uint32_t j = i + 2; j < end; ++j) {
      if (steps[j].type == TSQueryPredicateStepTypeCapture) {
        if (p.kind != PredicateKind::kEq || j != i + 2 || end != i + 3) {
          return InvalidArgumentError(
              StrFormat("'#%s' takes strings after its capture", name.c_str()));
        }
        p.other_capture = steps[j].value_id;
      } else {
        p.args.push_back(StringValue(query, steps[j].value_id));
      }
    }
    bool needs_one = p.kind == PredicateKind::kEq || p.kind == PredicateKind::kMatch ||
                     p.kind == PredicateKind::kResolvesMatch ||
                     p.kind == PredicateKind::kMayResolveMatch ||
                     p.kind == PredicateKind::kStringMatch;
    if (needs_one && !p.other_capture && p.args.size() != 1) {
      return InvalidArgumentError(StrFormat("'#%s' takes exactly one string", name.c_str()));
    }
    if ((p.kind == PredicateKind::kAnyOf || p.kind == PredicateKind::kResolvesTo ||
         p.kind == PredicateKind::kFileImports || p.kind == PredicateKind::kInContext ||
         p.kind == PredicateKind::kMayResolveTo) &&
        p.args.empty()) {
      return InvalidArgumentError(StrFormat("'#%s' needs at least one string", name.c_str()));
    }
    for (const std::string& a : p.args) {
      if (p.kind == PredicateKind::kInContext && !rules::ParseContext(a)) {
        return InvalidArgumentError(StrFormat(
            "'#%s' takes contexts (kernel, training, other), not '%s'", name.c_str(), a.c_str()));
      }
    }
    if (p.kind == PredicateKind::kMatch || p.kind == PredicateKind::kResolvesMatch ||
        p.kind == PredicateKind::kMayResolveMatch || p.kind == PredicateKind::kStringMatch) {
      try {
        p.regex.emplace(p.args[0]);
      } catch (const std::regex_error& e) {
        return InvalidArgumentError(
            StrFormat("bad regex '%s' in '#%s': %s", p.args[0].c_str(), name.c_str(), e.what()));
      }
    }
    out.push_back(std::move(p));
    i = end + 1;
  }
  // Cheap predicates first: a file-level or scope test usually rejects the match before any
  // name resolution or regex runs (issue #4, performance).
  std::stable_sort(out.begin(), out.end(), [](const Predicate& a, const Predicate& b) {
    return Cost(a.kind) < Cost(b.kind);
  });
  return out;
}

bool PredicatesHold(const std::vector<Predicate>& predicates, const TSQueryMatch& match,
                    const FileContext& ctx) {
  for (const Predicate& p : predicates) {
    bool any_seen = false, any_true = false, all_true = true;
    for (uint16_t i = 0; i < match.capture_count; ++i) {
      if (match.captures[i].index != p.capture) continue;
      bool v = TestNode(p, match.captures[i].node, match, ctx) != p.negate;
      any_seen = true;
      any_true = any_true || v;
      all_true = all_true && v;
    }
    if (!any_seen) continue;  // an optional capture that matched nothing
    if (p.any ? !any_true : !all_true) return false;
  }
  return true;
}

}  // namespace referee::analyzers::python
