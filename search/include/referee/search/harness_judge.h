// The Judge over today's harness API (harness/evaluator.h: LoadTask, ResolveCandidate,
// BuildCandidate, Evaluate, Compare, ReportToJson, CompareToJson). When the harness's own
// Judge library lands (issue 12), this adapter is what changes; the search does not.
//
//   HarnessJudgeOptions o;
//   o.task_dir = "kernels/cpu/vector_add";
//   o.base = options;                    // launcher (sandbox), peaks, tracer, timing cache
//   Expected<std::unique_ptr<Judge>> judge = MakeHarnessJudge(o);
//
// Levels: quick = the task's first workload, QuickStopping, no reference timing; screen rung
// r = the same with 2^r times the samples; full = every workload with `base.stopping` (or
// QuickStopping when `quick`), reference timing as `base` says; comparisons run on the
// heaviest workload (harness::Compare uses one). Candidates run under
// `base.candidate_launcher` (the sandbox, when the caller installed it).
#pragma once

#include <memory>
#include <string>

#include "referee/base/expected.h"
#include "referee/harness/evaluator.h"
#include "referee/search/judge.h"

namespace referee::search {

struct HarnessJudgeOptions {
  std::string task_dir;
  harness::EvalOptions base;
  std::string sandbox = "auto";  // for BuildCandidate (compiled candidates): auto|on|off
  bool quick = false;            // full evaluations and comparisons with QuickStopping
};

// Loads the task once (an error is the task's, `path:line:col: error: ...`).
Expected<std::unique_ptr<Judge>> MakeHarnessJudge(const HarnessJudgeOptions& options);

}  // namespace referee::search
