// The task's data splits, staged for the two phases (docs/training.md "Data"):
//   <run>/data/      phase 1's /data: train.bin, holdout.bin (when declared) and, at val.bin, a
//                    tripwire FIFO (the validation data itself is never there)
//   <run>/valdata/   phase 2's evaluator /data: val.bin
#pragma once

#include <string>

#include "referee/base/expected.h"
#include "referee/training/task.h"

namespace referee::training {

struct StagedSplit {
  std::string host_path;  // the staged file ("" when the split is not declared)
  uint64_t bytes = 0;
  std::string sha256;
  int files = 0;
};

struct StagedData {
  std::string phase1_dir, phase2_dir;
  std::string tripwire;  // host path of the FIFO at phase 1's /data/val.bin
  StagedSplit train, holdout, validation;
  std::string scored_sha256;  // sha256 of the validation's first tokens + 1 bytes
};

// Reads each split's files (globs sorted, `{python_stdlib}` asked of `python`), concatenates
// and caps them, checks pinned hashes and the validation size; errors point into task.json.
Expected<StagedData> StageData(const TrainingTask& task, const std::string& run_dir,
                               const std::string& python);

// True when some process has the tripwire open for reading (open O_WRONLY|O_NONBLOCK works).
bool TripwireTouched(const std::string& fifo);

}  // namespace referee::training
