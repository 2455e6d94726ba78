// Query predicates (issue #4). tree-sitter's C library parses predicates but
// does not evaluate them; this file does, for the standard ones and Referee's
// own:
//
//   standard:  #eq? #not-eq? #any-eq? #any-not-eq? #match? #not-match?
//   #any-match?
//              #any-not-match? #any-of? #not-any-of?
//   names:     #resolves-to? @c "torch.cuda.Stream" ...   #resolves-match? @c
//   "^time\."  #may-resolve-to? / #may-resolve-match? (any value the expression may hold:
//   loop variables over tables, helper parameters at their call sites; values.h)
//   #string-match? @c "regex" (the string the expression builds, non-constant parts as {})
//   scopes:    #inside-function? @c "forward" ...  #inside-nn-module?
//   @c  #inside-loop? @c
//              #inside-triton-jit? @c  #at-module-level? @c  #inside-class? @c
//              "ModelNew" #inside-try? @c  #inside-except? @c
//              #inside-entry-function? @c
//   training:  #inside-timed-region? @c  #inside-untimed-gap? @c
//   #before-timer-start? @c
//              #inside-evaluator? @c  #is-evaluator? @c  #is-fixed-module? @c
//              #is-timer? @c #is-budget? @c  #is-allowed-call? @c
//              #is-validation-data? @c
//   file:      #file-imports? @c "torch" ...  #file-uses-evaluator? @c
//   candidate: #in-scope? @c (module-level code or a function reachable from it or from an
//              entry point: submission.h)  #per-call? @c (reachable from an entry point)
//              #import-time? @c  #in-context? @c "kernel" "training" "other"
//              #in-entry-point? @c (directly inside an entry point the task names)
//              #in-kernel-submission? @c (the file's context is kernel)
//              #in-submission-code? @c (= #in-scope?)  #inside-entry-function? @c (= #per-call?)
// Every Referee predicate has a `not-` form. A predicate on a capture that
// matched several nodes must hold for all of them (`any-` forms: for one); an
// absent optional capture passes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "python/file_context.h"
#include "python/regex_prefilter.h"
#include "referee/base/expected.h"

namespace referee::analyzers::python {

enum class PredicateKind {
  kEq,
  kMatch,
  kAnyOf,
  kResolvesTo,
  kResolvesMatch,
  kInsideFunction,
  kInsideNnModule,
  kInsideLoop,
  kInsideTritonJit,
  kAtModuleLevel,
  kInsideClass,
  kInsideTry,
  kInsideExcept,
  kInsideEntryFunction,
  kInsideTimed,
  kInsideUntimedGap,
  kBeforeTimerStart,
  kInsideEvaluator,
  kIsEvaluator,
  kIsFixedModule,
  kIsTimer,
  kIsBudget,
  kIsAllowedCall,
  kIsValidationData,
  kFileImports,
  kFileUsesEvaluator,
  kInKernelSubmission,
  kInSubmissionCode,
  kFileHasTrainingClock,
  kInScope,
  kPerCall,
  kImportTime,
  kInContext,
  kMayResolveTo,
  kMayResolveMatch,
  kStringMatch,
  kInEntryPoint,
};

struct Predicate {
  PredicateKind kind = PredicateKind::kEq;
  bool negate = false;
  bool any = false;
  uint32_t capture = 0;
  std::optional<uint32_t> other_capture;  // #eq? @a @b
  std::vector<std::string> args;
  std::optional<FastRegex> regex;  // #match?, #resolves-match?
};

// Parses the predicates of one pattern; the error message names the bad
// predicate.
Expected<std::vector<Predicate>> ParsePredicates(const TSQuery* query, uint32_t pattern);

// Evaluates all predicates of a match.
bool PredicatesHold(const std::vector<Predicate>& predicates, const TSQueryMatch& match,
                    const FileContext& ctx);

}  // namespace referee::analyzers::python
