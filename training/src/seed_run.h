// One seed's run: phase 1 (train, phase1.cc) and phase 2 (evaluate, phase2.cc) share this.
#pragma once

#include <cstdint>
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
  uint32_t sandbox_id = 0;    // phase 1 and the model server; the evaluator uses +1
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
  std::string fingerprint;
  std::string scored_sha256;
};

// An error is the host's (the sandbox refused to start): the evaluation stops with exit 2.
Expected<Phase1Result> RunPhase1(const SeedContext& ctx);
Expected<Phase2Result> RunPhase2(const SeedContext& ctx);

// Shared by both phases.
void ReportProgress(const SeedContext& ctx, const char* phase, double elapsed, double limit);
// "(sandbox prefix, shown prefix)" pairs that map a traceback's paths to the user's files.
std::vector<std::pair<std::string, std::string>> CandidatePaths(const SeedContext& ctx);

}  // namespace referee::training
