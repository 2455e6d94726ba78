// One seed's run: phase 1 (train, phase1.cc) and phase 2 (evaluate, phase2.cc) share this.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "data.h"
#include "referee/base/expected.h"
#include "referee/training/evaluation.h"
#include "workspace.h"

namespace referee::training {

struct SeedContext {
  const TrainingTask* task = nullptr;
  const Workspace* workspace = nullptr;
  const StagedData* data = nullptr;
  std::string run_dir;
  std::string output_dir;     // <run>/seed-N/output
  std::string python;         // absolute interpreter path
  std::string python_dir;     // <run>/referee: the trusted evaluator and model server
  std::string candidate_dir;  // as the user named it (for located errors)
  std::string device = "cpu";
  int gpu = 0;
  uint64_t seed = 0;
  uint64_t nonce = 0;         // the evaluator's probe positions and scoring order
  double budget_s = 0;
  int index = 1, seeds = 1;
  uint32_t sandbox_id = 0;    // phase 1; the evaluator uses +1, the model server +2
  ProgressHook progress;
};

// What a phase found: the checks that passed, then the first failure (which stops the seed).
struct PhaseResult {
  std::vector<Check> checks;
  std::optional<Failure> failure;
  std::vector<std::string> notes;
  double wall_s = 0;
};

struct Phase1Result : PhaseResult {
  uint64_t output_bytes = 0;
  std::string output_sha256;  // over names and contents: runs with different seeds differ
};

struct Phase2Result : PhaseResult {
  std::optional<double> metric;
  double nll_nats_per_token = 0;
  int64_t tokens = 0;
  double load_s = 0;
  double scoring_s = 0;
  std::string torch_version;
  std::string fingerprint;
  std::vector<double> sequence_nll;
  std::string scored_sha256;
};

// Phase 2's two sandboxes, started with phase 1 so that their Python, numpy and torch start-up
// overlaps the training (the model server at nice 10, not to take the candidate's CPU). They
// wait: the evaluator for a byte on its go pipe, the model server for the evaluator's LOAD.
// Destroying this before RunPhase2 closes the pipe: both exit, nothing is loaded.
class Phase2 final {
 public:
  static Expected<std::unique_ptr<Phase2>> Start(const SeedContext& ctx);
  ~Phase2();
  Phase2(const Phase2&) = delete;
  Phase2& operator=(const Phase2&) = delete;
  struct State;

 private:
  friend Expected<Phase2Result> RunPhase2(const SeedContext& ctx, Phase2& phase2);
  Phase2() = default;
  std::unique_ptr<State> state_;
};

// <run>/seed-N/output, writable by phase 1's sandbox user (before phase 2's sandboxes bind it).
Status MakeOutputDir(const SeedContext& ctx);
// An error is the host's (the sandbox refused to start): the evaluation stops with exit 2.
Expected<Phase1Result> RunPhase1(const SeedContext& ctx);
Expected<Phase2Result> RunPhase2(const SeedContext& ctx, Phase2& phase2);

// Shared by both phases.
void ReportProgress(const SeedContext& ctx, const char* phase, double elapsed, double limit);
// "(sandbox prefix, shown prefix)" pairs that map a traceback's paths to the user's files.
std::vector<std::pair<std::string, std::string>> CandidatePaths(const SeedContext& ctx);

}  // namespace referee::training
