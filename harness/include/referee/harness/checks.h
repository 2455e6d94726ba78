// The per-call checks. Each is one class with an id (the name a FAIL verdict reports) and a
// test in tests/checks_test.cc where a hacking observation trips it and an honest one does
// not. The evaluator builds one CallObservation per candidate call, from what the trusted
// parent saw itself (shared-memory bytes, /proc, its clock), plus the worker's reply, which
// is only believed when it reports a failure.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "referee/base/json.h"
#include "referee/harness/task.h"

namespace referee::harness {

struct OutputBuffer {
  const ConcreteTensor* tensor = nullptr;
  const void* data = nullptr;  // in the candidate's arena
};

struct CallObservation {
  int index = 0;
  bool full_check = false;  // chosen after the call returned (the candidate cannot know)
  Json reply;               // the worker's record
  double round_trip_s = 0;  // the parent's own clock around the request/reply
  int baseline_threads = 1;
  int threads_after = 1;
  int children_after = 0;   // child processes of the worker after the call
  int escaped_after = 0;    // other processes in the worker's sandbox after the call
  std::string probe;        // a robustness probe's name (generate.h); empty: ordinary inputs
  std::vector<uint64_t> input_hash_before, input_hash_after;
  std::vector<OutputBuffer> outputs;
  std::vector<uint64_t> output_hash_at_return;
  std::vector<uint64_t> output_hash_after_delay;  // empty: not re-read
  // Reference outputs for the same inputs (full checks only), dense bytes per output.
  std::vector<std::string> reference;
  Tolerance tolerance;
};

struct CheckFailure {
  CheckFailure() = default;
  CheckFailure(std::string check_id, std::string why, std::string said = "")
      : check(std::move(check_id)), reason(std::move(why)), evidence(std::move(said)) {}

  std::string check;   // id, e.g. "poisoned-output"
  std::string reason;  // one line, the referee's own words
  // What the candidate's process said or printed about it (its exception, last output line,
  // the frame it hung in): untrusted, shown apart from the verdict line, never inside it.
  std::string evidence;
};

// The precision probe (issue #18): a float32 output whose distance from a float64 evaluation
// of the reference (relative L2) is more than `factor` times the reference's own float32
// distance, floored at 8 ulps of float32, was computed in lower precision than the task's
// dtype (float16, bfloat16, TF32) even where the tolerance admits it. nullopt: within.
std::optional<CheckFailure> ComparePrecision(const ConcreteTensor& t, const void* candidate,
                                             const void* reference, const double* exact,
                                             double factor = 32);

class CallCheck {
 public:
  virtual ~CallCheck() = default;
  virtual const char* id() const = 0;
  virtual std::optional<CheckFailure> Run(const CallObservation& call) const = 0;
};

// In priority order: the first failure is the verdict's reason.
std::vector<std::unique_ptr<CallCheck>> MakeCallChecks();

// A fast keyed hash of a buffer, to see whether its bytes changed (any single changed 8-byte
// word changes it); sessions key it with a secret drawn after the candidate loaded.
uint64_t HashBytes(const void* data, size_t n, uint64_t key = 0);

// Element-wise comparison; empty when `out` matches `ref` within `tol`, else the reason.
std::optional<std::string> CompareOutput(const ConcreteTensor& t, const void* out,
                                         const void* ref, const Tolerance& tol);

}  // namespace referee::harness
