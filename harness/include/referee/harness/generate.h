// Input generation in the trusted parent, from a seed the candidate never sees.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "referee/harness/task.h"

namespace referee::harness {

// Writes t.numel elements of t.spec.dtype at dst from t.spec.generator.
void GenerateTensor(const ConcreteTensor& t, std::mt19937_64& rng, void* dst);

// The robustness probe (issue #18): inputs from the same generator, then pushed to ranges every
// input distribution of the task allows but one narrow distribution never shows, where a
// numerically unsafe kernel (softmax without the max subtraction, a norm without its epsilon)
// overflows or divides by zero while the reference does not.
struct InputProbe {
  enum class Kind { kScaled, kTies };
  Kind kind = Kind::kScaled;
  double scale = 100;  // kScaled: values times this (capped by the dtype's range)
  std::string Name() const;
};
// The probes for a task: large magnitudes and ties (rows of equal values, exact zeros).
std::vector<InputProbe> DefaultProbes(double scale);
// Whether the probe changes this input: floating tensors drawn from value distributions
// (default, normal, uniform, random); masks, indices, sorted and structured inputs are kept.
bool ProbeApplies(const ConcreteTensor& t);
// Rewrites an input's generated values in place.
void ApplyProbe(const ConcreteTensor& t, const InputProbe& probe, void* data);

}  // namespace referee::harness
