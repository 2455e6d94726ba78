// A search's configuration: written into the journal at `referee search init` and read back
// by run/resume/status (the budget may be raised on resume; the rest is fixed at init).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/json.h"
#include "referee/search/patch_gate.h"

namespace referee::search {

// 0 means "no limit" for every field but max_candidates.
struct BudgetLimits {
  int64_t max_candidates = 20;  // candidates entering the cascade (not the seed)
  int64_t max_proposals = 0;    // proposer calls, failed ones included (0: 4 x candidates)
  int64_t max_evaluations = 0;  // judge calls (quick, screen, full, comparisons)
  int64_t max_rounds = 0;
  double max_wall_s = 0;        // over every session
  double max_judge_s = 0;       // judge (device) seconds: "GPU-seconds" on the GPU
  double max_proposer_usd = 0;  // the proposers' self-reported cost
};

struct CascadeOptions {
  double alpha = 0.05;          // paired acceptance inside a thread, split across 3 looks
  double confirm_alpha = 0.01;  // the independent confirmation before a new global best
  double delta = 0.01;          // practical margin (1 %)
  // Cut when the quick time exceeds the incumbent's stored quick time x (1 + slack): against a
  // number measured at another time, so deliberately liberal (research/search.md §3.6.2).
  double screen_slack = 1.0;
  int screen_keep = 2;                  // successive halving stops at this many survivors
  int screen_eta = 2;                   // ... keeping the best 1/eta at each rung
  std::string audit_fail_on = "error";  // error | warning: new findings that reject
  bool reexecute_best = true;           // re-run the global best from its stored sources at the end
  // A candidate whose evaluation was cut short this often (the evaluator failed, or the search
  // process died in the middle of it) is marked lost instead of re-queued.
  int max_attempts = 4;
};

struct ThreadOptions {
  int threads = 2;
  std::string assign = "mixed";  // mixed: weighted choice per proposal; per-thread: t % P
  int migrate_every = 4;         // rounds between migrations (0: never)
  int merge_every = 3;           // rounds between merge/crossover proposals (0: never)
  int stagnation_rounds = 6;     // rounds without an accepted move before a reset (0: never)
  int inspirations = 2;
  double exploit = 0.5;  // probability that the parent is the thread's incumbent
  int history = 5;       // ancestors and failures shown to a proposer
};

struct ProposerSpec {
  std::string name;     // unique; journal and --proposer-weight refer to it
  std::string command;  // external command, or "" for a built-in (name is the operator)
  double weight = 1;
};

// Where evaluations run (executor.h). Fixed at init.
struct ExecutorOptions {
  std::string kind = "local";  // local | slurm
  int slots = 1;               // local: evaluations at once (1: in this process, as before)
  std::vector<int> gpus;       // local: slot i pinned to GPU gpus[i] (CUDA_VISIBLE_DEVICES)
  std::string partition;       // slurm: --partition ("": the cluster's default)
  std::string gres;            // slurm: --gres per job, e.g. gpu:1 ("": none, CPU jobs)
  std::vector<std::string> sbatch_args;  // slurm: more sbatch arguments, one per element
  int max_array = 64;          // slurm: jobs per array (a batch larger than this is split)
  int requeue = 2;             // slurm: resubmissions of a job lost without a result
  double poll_s = 1;           // slurm: squeue interval

  Json ToJson() const;
};

struct SearchConfig {
  std::string task_dir;               // absolute
  std::string entry;                  // the program's entry file (the candidate path)
  std::vector<std::string> editable;  // editable files (default: the entry)
  std::vector<ProposerSpec> proposers;
  BudgetLimits budget;
  CascadeOptions cascade;
  ThreadOptions threads;
  GateOptions gate;
  uint64_t seed = 1;
  std::string judge = "harness";  // harness | fake
  std::string device = "cpu";     // cpu | cuda | cuda:N
  std::string mode = "cold";      // cold | hot (harness timing mode)
  std::string sandbox = "auto";   // candidates: auto | on | off
  bool quick = false;             // quick stopping for full evaluations (CI, demos)
  double call_timeout_s = 10;     // a candidate call that takes longer is a hang
  int hot_repeat = 0;             // hot mode: invocations per window (0: adaptive)
  std::string memory;             // the sandbox's memory limit per worker ("": default)
  bool time_reference = true;     // full evaluations time the reference (SOL score)
  std::string proposer_sandbox = "auto";
  double proposer_timeout_s = 120;
  std::vector<std::string> allow_env;  // environment names proposers may see
  std::vector<std::string> rule_dirs;  // audit rules (empty: bundled)
  std::string calibration;             // device peaks file for SOL scores
  ExecutorOptions executor;

  Json ToJson() const;
};

// Every field is optional (defaults above); unknown keys and bad types are errors naming
// the key.
Expected<SearchConfig> ConfigFromJson(const Json& j);

}  // namespace referee::search
