// The trusted two-phase evaluation of a training script (issue 13; docs/training.md).
//
//   TrainEvalOptions o;
//   o.task_dir = "kernels/training/licenses_cpu";
//   o.candidate_dir = "kernels/training/licenses_cpu/candidates/baseline";
//   o.seeds = 2;
//   Expected<TrainEvalReport> r = RunTrainEval(o);
//   if (!r) { /* input error (task, candidate dir, host): exit 2 */ }
//   if (r->verdict != Verdict::kPass) { /* r->failure says which check and why */ }
//
// Per seed: phase 1 trains in the sandbox's training profile (the train split at /data, the
// validation data nowhere in view, /work and the fixed files read-only, one writable /output
// with a size cap, no network, a fresh home), timed by this process from outside: the clock
// starts when the script starts, SIGTERM at the budget, SIGKILL after the grace, and a script
// still running at the budget fails. Phase 2 starts two fresh sandboxes: the model server
// (the candidate's entry point and /output, no evaluation data) and the trusted evaluator
// (/data/val.bin read-only, no candidate code), joined by one socket; the evaluator sends the
// fixed evaluation tokens, takes logits and computes the metric and every check itself.
// Seeds are Referee's; every seed run counts; runs with different seeds must differ.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/json.h"
#include "referee/harness/placement.h"
#include "referee/harness/stats.h"
#include "referee/training/task.h"

namespace referee::training {

// PASS: every seed ran clean and the acceptance test (if any) passed. FAIL: clean, but the test
// did not pass. REJECTED: a check failed (a rule of the contract was broken). ERROR: the
// candidate produced no result (crash, no checkpoint, a model that does not load).
enum class Verdict { kPass, kFail, kRejected, kError };
const char* VerdictName(Verdict v);  // "PASS", "FAIL", "REJECTED", "ERROR"

struct Check {
  std::string name;  // "budget", "causality-suffix", ... (docs/training.md lists them)
  bool ok = true;
  std::string detail;
};

// A failed check or error, with a one-line message `path[:line[:col]]: error: text [check]`.
struct Failure {
  Verdict verdict = Verdict::kRejected;
  std::string check;
  std::string message;
  SourceLoc loc;  // the candidate's file (train.py:42) when known, else the script
  std::string Line() const;
};

// The static audit, supplied by the caller (the training library links no analyzers: the GPU
// machine builds without LLVM). The CLI wires it to referee::analyzers when it has them.
struct AuditRequest {
  std::vector<std::string> files;  // absolute paths of the files to audit
  std::string root;                // their common directory (reports are relative to it)
  std::string config;              // the task's trusted referee.yaml ("" if none)
  std::vector<std::string> fixed_files;  // the task's fixed files (relative names)
};
struct AuditFinding {
  std::string rule_id, severity, path, message;
  int line = 0, col = 0;
};
struct AuditReport {
  std::vector<AuditFinding> findings;
  std::vector<std::string> errors;  // files that could not be audited (one line each)
  std::string rule_set_hash;        // the rules it ran (analyzers::RuleSetHash)
};
using AuditHook = std::function<Expected<AuditReport>(const AuditRequest&)>;
enum class AuditMode {
  kGate,    // error-severity findings reject the candidate (before it runs, when they are in
            // its files; after seed 1 when they are in the entry point it wrote)
  kReport,  // findings go in the report only
  kOff,
};

// What the CLI shows on a terminal: per seed, the phase and its clock.
struct Progress {
  int seed_index = 0;   // 1-based
  int seeds = 0;
  std::string phase;    // "audit", "train", "evaluate", "done"
  double elapsed_s = 0;
  double limit_s = 0;   // the budget while training
  std::optional<double> metric;  // when the seed is done
  std::string status;   // "ok" or the failing check
};
using ProgressHook = std::function<void(const Progress&)>;

struct TrainEvalOptions {
  std::string task_dir;
  std::string candidate_dir;
  int seeds = 0;                         // 0: the task's acceptance.seeds
  // Where training and the model run: nullopt takes the task's device (cuda: GPU 0). A GPU is
  // chosen by index (harness::Placement), never as a "cuda:N" string.
  std::optional<harness::Placement> placement;
  std::optional<double> budget_s;        // overrides the task's budget (tests); reported
  std::optional<uint64_t> seed;          // derive the seeds from this (reproducible, pairable)
  std::string incumbent_report;          // a previous JSON report: compared against it
  AuditHook audit;
  AuditMode audit_mode = AuditMode::kGate;
  ProgressHook progress;
  std::string python;                    // default: $REFEREE_PYTHON, else /usr/bin/python3
  std::string python_dir;                // default: the build's training/python
  bool keep_run_dir = false;             // keep /tmp/referee-train-* for inspection
};

struct SeedResult {
  int index = 0;  // 1-based
  uint64_t seed = 0;
  Verdict verdict = Verdict::kPass;
  std::optional<Failure> failure;
  std::optional<double> metric;
  double nll_nats_per_token = 0;
  int64_t tokens = 0;
  double train_wall_s = 0;   // phase 1, from start to the last process's exit
  double eval_wall_s = 0;    // phase 2
  double wall_s = 0;         // the whole seed, as this process saw it (start-up included)
  double load_s = 0;         // load_model inside phase 2
  double scoring_s = 0;      // the evaluator's requests, probes and arithmetic
  std::string torch_version; // what the model server ran
  uint64_t output_bytes = 0;
  std::string output_sha256;
  std::string fingerprint;   // hash of the per-sequence NLLs (runs must differ)
  std::vector<double> sequence_nll;  // per scored sequence (not in the report)
  std::vector<Check> checks;
  std::vector<std::string> notes;
};

struct Aggregate {
  size_t n = 0;
  double mean = 0, stdev = 0, ci_low = 0, ci_high = 0;  // t-based 95% interval of the mean
  double min = 0, max = 0;
};

struct AcceptanceTest {
  std::string goal;      // "mean bpb < 3.2", "better than the incumbent", ...
  harness::TTest test;
  double alpha = 0;
  bool passed = false;
};

struct TrainEvalReport {
  std::string task_name, task_path, candidate_dir;
  std::string device;               // "cpu" or "cuda:N" (harness::Placement::Name)
  std::vector<std::string> argv;    // set by the caller, for the report
  std::string torch_version;        // what the model server ran (the first seed's)
  Mode mode = Mode::kFixedBudget;
  std::string metric_name;
  double budget_s = 0, grace_s = 0;
  bool budget_overridden = false;
  std::optional<double> target;
  std::string validation_sha256;   // the scored token range
  std::vector<AuditFinding> audit_findings;
  std::vector<std::string> audit_errors;
  std::string rule_set_hash;
  bool audit_ran = false;
  std::vector<SeedResult> seeds;
  Aggregate metric, time;           // time: the training wall (time-to-target's score)
  std::vector<AcceptanceTest> tests;
  Verdict verdict = Verdict::kPass;
  std::optional<Failure> failure;
  std::vector<std::string> notes;   // ignored candidate files, the run dir kept, ...
};

// Runs the whole evaluation. An error is an input problem (task, candidate dir, incumbent
// report, a host without the sandbox): exit 2. The candidate's failures are in the report.
Expected<TrainEvalReport> RunTrainEval(const TrainEvalOptions& options);

// The report as JSON (schema_version 2, docs/training.md) and as text for a terminal.
Json TrainEvalReportToJson(const TrainEvalReport& report);
std::string TrainEvalReportToText(const TrainEvalReport& report);

}  // namespace referee::training
