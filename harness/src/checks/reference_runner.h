// The trusted reference in a worker of its own (never sandboxed with the candidate, never
// sharing its process): computes the expected outputs for given input bytes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "referee/harness/candidate.h"
#include "referee/harness/task.h"
#include "referee/harness/worker.h"

namespace referee::harness {

// A describe reply read into a workload: types checked, sizes with overflow checks and against
// task.limits (issue 20).
Expected<ConcreteWorkload> ParseDescribeReply(const Json& body, const Task& task);

// The trusted reference: computes outputs for given input bytes.
class ReferenceRunner final {
 public:
  static Expected<std::unique_ptr<ReferenceRunner>> Start(const Task& task, size_t arena_bytes,
                                                          const Placement& placement,
                                                          const WorkerPrograms& programs);
  // KernelBench: asks the reference for input/output shapes (get_inputs + one forward).
  Expected<ConcreteWorkload> Describe(const Task& task);
  // `in_float64`: floating inputs and outputs in float64 (the precision probe); the outputs
  // then come back as float64 bytes.
  Expected<std::vector<std::string>> Run(const ConcreteWorkload& w,
                                         const std::vector<std::string>& inputs,
                                         bool in_float64 = false);
  // The task's custom_inputs_entrypoint `entry`, run here (trusted code, never in a candidate's
  // process) with torch seeded by `seed`: the bytes of each input of kind "custom", checked
  // against the definition's shape and dtype by the worker and sized here; "" for the others.
  Expected<std::vector<std::string>> DrawCustomInputs(const std::string& entry,
                                                      const ConcreteWorkload& w, uint64_t seed);
  Worker& worker() { return *worker_; }
  int threads_at_load() const { return threads_at_load_; }

 private:
  std::unique_ptr<Worker> worker_;
  int threads_at_load_ = 1;
};

}  // namespace referee::harness
