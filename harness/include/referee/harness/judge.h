// The judge: one object that evaluates and compares candidates, built once from a typed config
// and used by every caller (the CLI's eval/compare, the search loop, the training evaluation).
// It owns the decisions that make a result trustworthy, so no caller can get them wrong:
// the launcher (sandbox or plain, per SandboxMode), the CUPTI tracer injected into GPU workers,
// the device's peaks and the cold-mode flush floor derived from them, the stopping rule, and
// the trusted-timing cache rule (only sandboxed candidates may share cached reference timings:
// an unsandboxed one runs as the caller and could plant a slow "reference" for itself).
//
//   JudgeConfig config;
//   config.placement = Placement::Gpu(2);
//   config.sandbox = SandboxMode::kOn;
//   config.device_dir = DeviceDirFromEnvironment();     // calibrations, cached timings
//   Expected<std::unique_ptr<Judge>> judge = Judge::Create(config);
//   Expected<Candidate> c = ResolveCandidate("kernels/gpu/gelu/candidates/cuda_honest.cu");
//   Status built = (*judge)->Prepare(*c);                // nvcc under the build sandbox
//   Expected<EvalReport> r = (*judge)->Evaluate(task, *c);
//
// A Judge holds no process-wide state: several Judges with different configs may live in one
// process, and Evaluate/Compare may be called from several threads at once (each call starts
// its own workers; the sandbox ids they use come from one process-wide counter).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/harness/candidate.h"
#include "referee/harness/evaluator.h"
#include "referee/harness/placement.h"
#include "referee/harness/score.h"
#include "referee/harness/stats.h"
#include "referee/harness/task.h"
#include "referee/harness/worker.h"

namespace referee::harness {

struct JudgeConfig {
  Placement placement;                      // Placement::Cpu() or Placement::Gpu(index)
  SandboxMode sandbox = SandboxMode::kAuto;
  // Cold: the caches are flushed before each timed call (on the GPU the flush must show in the
  // trace: cold-flush-missing). Hot: hot_repeat invocations back to back per timed window,
  // each on fresh inputs and checked (0: adaptive, a window of at least 1 ms).
  bool cold = true;
  int hot_repeat = 0;
  // Peaks for roofline floors and SOL scores: `peaks` when given, else `calibration_file`,
  // else the device's file under device_dir (`referee calibrate`), else built-in peaks far
  // above any real device (the floor then only catches the impossible).
  std::optional<DevicePeaks> peaks;
  std::string calibration_file;
  // Calibrations and, under timings/, cached trusted timings. Empty: nothing is read from or
  // written to disk (no calibration file lookup, no trusted-timing cache).
  std::string device_dir;
  // nullopt: the placement's defaults (CPU: nvbench-like; GPU: GpuStopping()); `quick` picks
  // QuickStopping() and a short re-read delay (tests, CI).
  std::optional<StoppingParams> stopping;
  bool quick = false;
  // Applied over the stopping rule above when > 0 (StoppingParams::max_median_ci,
  // max_measured_s): stop on the median's 95% CI, cap the seconds inside timed calls.
  double stop_median_ci = 0;
  double max_measured_s = 0;
  // The candidate's own kernels must do the work on every task (task.h KernelPolicy), not only
  // where the task's definition asks.
  bool require_own_kernels = false;
  double call_timeout_s = 10;
  // The sandbox's memory limit per candidate worker (exceeding it is check `oom`); 0: 8 GiB,
  // 64 GiB on a GPU. Without the sandbox there is no limit.
  uint64_t memory_limit_bytes = 0;
  bool time_reference = true;          // time the reference (and baseline) for SOL scores
  bool fresh_reference_timing = false; // never reuse a cached trusted timing
  WorkerPrograms programs = WorkerPrograms::BuiltIn();
  // GPU: the CUPTI injection library. Empty: the one this build made (an error when none).
  std::string cupti_library;
  // Progress of Evaluate() (EvalProgress), e.g. for a terminal's status line; empty: none.
  std::function<void(const EvalProgress&)> progress;
};

// Compare()'s test: paired interleaved blocks, looks after 3, 6 and 10 pairs with alpha split
// across looks, delta the practical margin on the log-ratio of medians.
struct CompareParams {
  double alpha = 0.05;
  double delta = 0.01;
};

class Judge final {
 public:
  // Checks the config against this build and host: a GPU placement needs the CUPTI injection
  // library and the GPU's device node; SandboxMode::kOn needs every sandbox layer. kAuto
  // without a sandbox succeeds and says so in warnings().
  static Expected<std::unique_ptr<Judge>> Create(JudgeConfig config);
  ~Judge();
  Judge(const Judge&) = delete;
  Judge& operator=(const Judge&) = delete;

  // Builds a .cu or LibTorch candidate for this placement (compilers under the sandbox's build
  // profile per the sandbox mode); nothing for Python and shared-library candidates.
  Status Prepare(Candidate& candidate) const;
  // An error means the task, the reference or the host is broken (exit 2); a rejected
  // candidate is a report with passed == false.
  Expected<EvalReport> Evaluate(const Task& task, const Candidate& candidate) const;
  Expected<CompareReport> Compare(const Task& task, const Candidate& a, const Candidate& b,
                                  CompareParams params = {}) const;

  const JudgeConfig& config() const { return config_; }
  // "sandbox" or "plain".
  std::string launcher_name() const;
  // What the caller should tell the user (e.g. candidates running outside the sandbox).
  const std::vector<std::string>& warnings() const { return warnings_; }
  // The pipeline settings this judge runs with (for reports and tests).
  const EvalOptions& options() const { return options_; }

 private:
  Judge() = default;
  Status ChooseLauncher();
  Status LoadPeaks();
  Status InstallGpuTracer();

  JudgeConfig config_;
  EvalOptions options_;
  std::unique_ptr<Launcher> sandbox_launcher_;  // null: plain child processes
  std::vector<std::string> warnings_;
};

}  // namespace referee::harness
