// Input generation in the trusted parent, from a seed the candidate never sees.
#pragma once

#include <random>

#include "referee/harness/task.h"

namespace referee::harness {

// Writes t.numel elements of t.spec.dtype at dst from t.spec.generator.
void GenerateTensor(const ConcreteTensor& t, std::mt19937_64& rng, void* dst);

}  // namespace referee::harness
