// Trusted timings (the reference's and the baseline's) kept on disk per device, so that a
// search evaluating many candidates of one task times its unchanged reference once, not once
// per evaluation (on the GPU that timing was 60 % of an evaluation of a 1 ms kernel). An entry
// is keyed on everything the timing depends on: the programs' bytes, the workload's tensors and
// generators, the device, mode and stopping rule; it is used while younger than the maximum
// age and the report says so (`timing.reference_source`).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "referee/harness/evaluator.h"
#include "referee/harness/stats.h"
#include "referee/harness/task.h"

namespace referee::harness {

struct TrustedTimings {
  std::optional<Summary> reference, baseline;
  double measured_at_unix = 0;
};

// Hex key of what the trusted timing of `programs` (their files' bytes) on `w` depends on.
std::string TrustedTimingKey(const ConcreteWorkload& w, const EvalOptions& options,
                             const std::vector<std::string>& programs);

// The entry under `dir` for `key` when there is one younger than max_age_s; a missing,
// unreadable or malformed entry is a miss (it is measured and written again).
std::optional<TrustedTimings> LoadTrustedTimings(const std::string& dir, const std::string& key,
                                                 double max_age_s);
// Writes the entry atomically (a temporary file renamed); failures are ignored: the cache
// only saves time.
void StoreTrustedTimings(const std::string& dir, const std::string& key,
                         const TrustedTimings& timings);

}  // namespace referee::harness
