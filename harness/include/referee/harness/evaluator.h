// The trusted pipeline: task -> reference worker + fresh candidate worker per workload ->
// calls on fresh inputs with every check -> adaptive timing -> verdict and scores.
//
//   EvalOptions opt;                      // CPU, cold cache, nvbench-like stopping
//   Expected<EvalReport> r = Evaluate(task, candidate, opt);
//   // !r: the task or the reference is broken (exit 2); r->passed: the verdict.
//
// Every call a candidate sees is the same kind of request; which calls are checked in full
// against the reference is decided after the call returns (>= full_check_fraction of them),
// and every call is checked for poison, non-finite values, mutated inputs, threads left
// running and the worker's timer integrity. Correctness and timing are one phase.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "referee/base/json.h"
#include "referee/harness/candidate.h"
#include "referee/harness/checks.h"
#include "referee/harness/placement.h"
#include "referee/harness/score.h"
#include "referee/harness/sm_clock.h"
#include "referee/harness/stats.h"
#include "referee/harness/task.h"
#include "referee/harness/timer.h"
#include "referee/harness/worker.h"

namespace referee::harness {

// What an evaluation is doing, for a progress line on a terminal (EvalOptions::progress).
struct EvalProgress {
  std::string workload;
  int index = 0, count = 0;  // workload `index` (1-based) of `count`
  std::string phase;         // "starting workers", "measuring", "timing the reference", "done"
  int calls = 0;             // calls so far while measuring
  std::string verdict;       // with "done": "PASS" or the failed check
};

// The pipeline's settings. Judge (judge.h) builds these from a JudgeConfig; they are public
// for tests and for callers that assemble a pipeline themselves.
struct EvalOptions {
  Placement placement;               // CPU, or the GPU every worker of this evaluation uses
  WorkerPrograms programs = WorkerPrograms::BuiltIn();
  bool cold = true;                  // flush caches before each call
  // Hot mode (cold == false): each timed window holds R invocations back to back, no flush,
  // each on its own fresh inputs and poisoned outputs, every one checked (poison, finite,
  // input mutation; the reference on those picked after the fact); sample = window / R.
  // hot_repeat > 0 fixes R; 0 picks it after warm-up so the window is >= hot_window_s. R is
  // capped by hot_max_repeat and by 256 MiB of inputs and outputs per window.
  int hot_repeat = 0;
  double hot_window_s = 1e-3;
  int hot_max_repeat = 100;
  StoppingParams stopping;
  // Holds every task to KernelPolicy::require_own (the task's own "kernels" setting otherwise).
  bool require_own_kernels = false;
  double full_check_fraction = 0.25;
  double call_timeout_s = 10;
  double recheck_delay_s = 0.005;    // re-read outputs this long after return
  std::optional<DevicePeaks> peaks;  // nullopt: DefaultCpuPeaks()
  bool time_reference = true;
  // Trusted timings (reference, baseline) kept per device under this directory and reused
  // while younger than the maximum age (src/trusted_timing_cache.h); empty: always measured.
  std::string trusted_timing_dir;
  double trusted_timing_max_age_s = 3600;
  Launcher* candidate_launcher = nullptr;  // nullptr: plain child processes
  // The sandbox's memory limit per candidate worker (WorkerSpec::memory_limit_bytes); 0: the
  // launcher's default. Plain child processes have none.
  uint64_t memory_limit_bytes = 0;
  std::optional<uint64_t> nonce;     // tests only: fixes the input seed
  // Called on the evaluating thread at each phase and every ~0.2 s of calls; empty: none.
  std::function<void(const EvalProgress&)> progress;
  // Makes each candidate worker's timer; empty: the CPU clock (timer.h). The GPU backend
  // (harness/cupti, issue #7) supplies its CUPTI timer here.
  std::function<std::unique_ptr<Timer>()> make_timer;
  // A timer the worker must be started under (GPU placement: the CUPTI tracer). Called before
  // each candidate worker starts; it adds env and extra fds to `spec`. Takes precedence over
  // make_timer.
  std::function<Expected<std::unique_ptr<Timer>>(WorkerSpec& spec)> make_traced_timer;
};

// Quick settings for tests and CI (few samples, short timeouts).
StoppingParams QuickStopping();
// GPU defaults (--device cuda): every cold sample is one call with its own flush, fresh inputs
// and checks (milliseconds of harness work, whatever the kernel's length), so 0.5 s of
// measured kernel time would take 500 calls for a 1 ms kernel and never end for a 10 us one.
// 0.1 s of kernel time and at most 500 samples: the median of 500 CUPTI spans with a 2 %
// spread has a standard error near 0.1 %.
StoppingParams GpuStopping();

struct WorkloadResult {
  std::string name;
  bool passed = false;
  CheckFailure failure;
  uint64_t nonce = 0;
  int calls = 0;
  int full_checks = 0;
  std::vector<double> samples;  // seconds per invocation, after warm-up
  int repeat = 1;               // invocations per timed window (hot mode: R)
  ClockReport sm_clock;         // SM clock per sample (GPU), throttled samples flagged
  Summary candidate;
  std::string stop_reason;
  double channel_overhead_s = 0;  // subtracted from each round trip
  // Wall seconds of the evaluation's phases: "start" (all workers up), "candidate" (checked
  // measurement), "trusted" (reference and baseline timing).
  std::map<std::string, double> phase_s;
  std::optional<Summary> reference;
  std::optional<Summary> baseline;
  // "measured", or "cached" when the trusted timings came from trusted_timing_dir (then
  // trusted_measured_at_unix says when they were measured).
  std::string trusted_timing_source;
  double trusted_measured_at_unix = 0;
  double flops = 0, bytes = 0;
  Roofline roofline;
  std::optional<double> sol_score;
  bool sol_flag = false;  // faster than speed of light: S > 1 or undefined
};

struct EvalReport {
  std::string task;
  std::string candidate;
  std::string device;
  std::string mode;
  std::string launcher;
  std::string peaks_source;
  bool passed = false;
  CheckFailure failure;  // the first workload's failure
  std::vector<WorkloadResult> workloads;
  // referee_version, device, host_cpu, peaks_device, gpu {index, name, driver}, software
  // {python, torch, triton, cuda_runtime, gpu_name, ...} from the trusted reference worker.
  Json environment;
  std::string rule_set_hash;  // set by callers that audited the candidate with a rule set
};

Expected<EvalReport> Evaluate(const Task& task, const Candidate& candidate,
                              const EvalOptions& options);

struct CompareReport {
  std::string task, a, b;
  Json environment;  // as EvalReport::environment
  std::string workload;
  bool valid = false;          // both candidates passed every check
  CheckFailure failure;        // when not valid: which candidate and why
  std::vector<double> a_medians, b_medians;
  PairedResult result;
};

// Paired interleaved blocks (A B B A ...) on one workload, looks after 3, 6 and 10 pairs with
// alpha split across looks; delta is the practical margin.
Expected<CompareReport> Compare(const Task& task, const Candidate& a, const Candidate& b,
                                const EvalOptions& options, double alpha = 0.05,
                                double delta = 0.01);

// Reports in the shared result schema (docs/schema/, kJsonSchemaVersion) and as text or SARIF.
std::string FormatReport(const EvalReport& r);
Json ReportToJson(const EvalReport& r);
std::string FormatCompare(const CompareReport& r);
Json CompareToJson(const CompareReport& r);
// SARIF 2.1.0: one result per failed check (the candidate's file as its location), so a
// rejected evaluation shows up in GitHub code scanning like an audit finding.
Json ReportToSarif(const EvalReport& r, const std::string& candidate_path);
Json CompareToSarif(const CompareReport& r, const std::string& a_path, const std::string& b_path);

}  // namespace referee::harness
