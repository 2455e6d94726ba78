// The variance protocol's arithmetic (issue 13 item 4): aggregates over seeds, the incumbent
// report, and the tests that decide a pass.
#pragma once

#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/training/evaluation.h"

namespace referee::training {

// Mean, stdev and the t-based 95% interval of the mean (n = 1: the value itself).
Aggregate AggregateOf(const std::vector<double>& values);

// A previous report to beat: its seeds and the per-seed score (the metric, or the training
// time for time-to-target). Errors (exit 2) when it is not a clean run of the same task.
struct Incumbent {
  std::string path;
  std::vector<uint64_t> seeds;
  std::vector<double> scores;
};
Expected<Incumbent> LoadIncumbent(const std::string& path, const TrainEvalReport& report);

// The threshold test (fixed budget, when the task sets one), the target test (time-to-target)
// and the incumbent test, in that order.
std::vector<AcceptanceTest> AcceptanceTests(const TrainingTask& task,
                                            const TrainEvalReport& report,
                                            const Incumbent* incumbent);

}  // namespace referee::training
