// The search's Judge over the harness's (referee::harness::Judge, harness/judge.h): the
// evaluator the CLI's `eval` and `compare` use, with its launcher, tracer, peaks and timing
// cache rules. The search's levels map onto it:
//
//   quick     the task's first workload, quick stopping, no reference timing
//   screen r  the same with 2^r times the samples (a successive-halving rung)
//   full      every workload with `config` as given (its stopping rule, reference timing, SOL)
//   compare   harness Compare() with `config`, on the task's heaviest workload (the one where
//             the kernel's own time dominates the harness's fixed per-call costs)
//
//   HarnessJudgeOptions o;
//   o.task_dir = "kernels/cpu/vector_add";
//   o.config = judge_config;             // as `referee eval` makes it from its flags
//   Expected<std::unique_ptr<Judge>> judge = MakeHarnessJudge(o);
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/harness/judge.h"
#include "referee/search/judge.h"

namespace referee::search {

struct HarnessJudgeOptions {
  std::string task_dir;
  harness::JudgeConfig config;
};

// Loads the task and checks the config against this host (harness::Judge::Create); an error
// is the task's or the host's, one line. `warnings` gets what the caller should tell the user.
Expected<std::unique_ptr<Judge>> MakeHarnessJudge(const HarnessJudgeOptions& options,
                                                  std::vector<std::string>* warnings = nullptr);

}  // namespace referee::search
