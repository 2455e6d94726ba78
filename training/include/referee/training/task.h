// A training task (issue 13; docs/training.md): what a candidate training script may edit, what
// is fixed, which data it sees, how long it may train (or which target it must reach), how the
// trained model is scored, and what a pass needs. Read from `<dir>/task.json`; every error names
// the file and position (`task.json:12:5: error: ...`).
//
//   Expected<TrainingTask> task = LoadTrainingTask("kernels/training/licenses_cpu");
//   if (!task) { std::fprintf(stderr, "%s\n", task.error().ToString().c_str()); return 2; }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/status.h"

namespace referee::training {

enum class Mode {
  kFixedBudget,   // autoresearch: train for budget_s, the metric is the score
  kTimeToTarget,  // speedrun: reach `target`, the wall time from process start is the score
};
const char* ModeName(Mode mode);  // "fixed-budget", "time-to-target"

enum class MetricKind {
  kBitsPerByte,   // Σ NLL / (ln 2 · Σ bytes of the targets)
  kCrossEntropy,  // mean NLL in nats per target token
};
const char* MetricName(MetricKind kind);  // "bpb", "cross_entropy"

enum class ModelOutput {
  kLogits,    // Referee computes log-softmax itself
  kLogProbs,  // the model normalises; Referee checks that its probabilities sum to 1
};

// A data split: files (absolute, or relative to the task dir; glob patterns; `{python_stdlib}`
// is the evaluating interpreter's standard library) concatenated in sorted order.
struct DataSplit {
  std::vector<std::string> files;
  uint64_t max_bytes = 0;  // 0: everything
  std::string sha256;      // pinned hash of the split's bytes; empty: recorded, not checked
  SourceLoc loc;           // where the split is declared (errors found when it is read)
  bool declared() const { return !files.empty(); }
};

struct Metric {
  MetricKind kind = MetricKind::kBitsPerByte;
  ModelOutput output = ModelOutput::kLogits;
  int vocab_size = 256;  // tokens are bytes (0..255) unless a task says otherwise
  int seq_len = 256;     // context of each scored sequence
  int64_t tokens = 0;    // scored targets: a multiple of seq_len; the split must hold tokens + 1
  int batch = 16;        // sequences per request to the model
};

// The causality probe and the state check of phase 2 (docs/training.md).
struct Probes {
  int sequences = 4;         // sequences probed by suffix perturbation and by a target flip
  double tolerance = 1e-4;   // max |Δ log p| allowed at positions that must not change
};

struct Acceptance {
  int seeds = 10;            // harness-chosen seeds (the seed's results quote 10)
  double alpha = 0.01;
  // Fixed budget: pass only if the mean metric is below this at p < alpha (one-sample t-test).
  std::optional<double> threshold;
  double min_effect = 0;     // against an incumbent: improve by at least this much
};

struct TaskLimits {
  uint64_t memory_bytes = 8ull << 30;
  uint64_t pids = 256;
  double load_timeout_s = 60;   // phase 2: import + load_model
  double eval_timeout_s = 300;  // phase 2 as a whole
};

struct TrainingTask {
  std::string dir;   // the task directory
  std::string path;  // its task.json
  std::string name, description;
  Mode mode = Mode::kFixedBudget;
  double budget_s = 0;               // training budget, or the time limit of time-to-target
  double grace_s = 2;                // SIGTERM at the budget, SIGKILL this much later
  std::optional<double> target;      // time-to-target: the metric to reach
  std::string device = "cpu";        // default device: cpu or cuda
  std::string script = "train.py";   // the command: python3 /work/<script>
  std::vector<std::string> editable;  // globs, relative to the candidate dir
  std::vector<std::string> fixed;     // task files, relative to the task dir (hashed)
  std::string audit_config;           // trusted referee.yaml in the task dir ("" if none)
  DataSplit train, holdout, validation;
  std::string entry_module = "model";        // /output/<module>.py
  std::string entry_function = "load_model";  // load_model("/output") -> model
  uint64_t output_max_bytes = 64ull << 20;
  Metric metric;
  Probes probes;
  Acceptance acceptance;
  TaskLimits limits;
};

// Reads and validates `<dir>/task.json` (or the file itself when `dir` names a .json file).
Expected<TrainingTask> LoadTrainingTask(const std::string& dir);
// The same from text (tests); `dir` resolves relative paths.
Expected<TrainingTask> ParseTrainingTask(const std::string& text, const std::string& path,
                                         const std::string& dir);

// Where `key_path` (e.g. {"data", "validation", "sha256"}) is written in a task file's text:
// each key is searched after the previous one; a key that is not there leaves the position of
// the last one found (1:1 if none).
SourceLoc LocateJsonKey(const std::string& text, const std::string& path,
                        const std::vector<std::string>& key_path);

}  // namespace referee::training
