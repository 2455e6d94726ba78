// How one call is timed. The CPU backend (this file) reads CLOCK_MONOTONIC_RAW in the trusted
// parent around the request/reply round trip and subtracts the channel's own round-trip time
// (the fastest of a few no-op requests), so a candidate cannot patch the clock it is timed by.
// That round trip is measured on a TRUSTED worker of the same program (issue #18: measured on
// the candidate's own worker, a candidate that slowed its no-op handling had it subtracted
// from every call, a fake 2-4.5x speedup); the candidate's own worker answering no-ops far
// slower than the trusted one is itself a timer-tamper failure.
// A GPU backend (harness/cupti/, issue #7) implements the same interface from CUPTI records.
#pragma once

#include <memory>
#include <string>

#include "referee/base/expected.h"
#include "referee/harness/worker.h"

namespace referee::harness {

struct KernelPolicy;  // task.h

class Timer {
 public:
  virtual ~Timer() = default;
  virtual std::string name() const = 0;
  // Once per worker, before the first timed call.
  virtual Status Prepare(Worker& worker) = 0;
  // The evaluator calls this one: `sample_call` is a request shaped like the real calls (the
  // CPU timer measures the channel's overhead with no-ops of that size on `trusted_probe`, a
  // worker of the same program the candidate cannot reach; null: on `worker` itself, for
  // trusted programs). An error "<check-id>: detail" rejects the candidate.
  virtual Status PrepareFor(Worker& worker, const Json& sample_call, Worker* trusted_probe) {
    return Prepare(worker);
  }
  virtual void Begin() = 0;  // just before the call request is sent
  virtual void End() = 0;    // just after its reply arrived
  // Seconds the last call took, given its reply (a GPU timer reads its records here).
  virtual Expected<double> Sample(const Reply& reply) = 0;
  // The round trip of the last call, seconds (for cross-checks).
  virtual double last_round_trip_s() const = 0;
  // What the timer subtracts per call (the channel's round trip), seconds; for reports.
  virtual double overhead_s() const { return 0; }
  // Traced timers (a GPU tracer in the worker): the worker has started, so the parent drops
  // its copy of whatever it placed in the child.
  virtual void OnWorkerStarted() {}
  // After the worker is gone: work it caused after the last call, an incomplete trace.
  virtual Status Finish() { return OkStatus(); }
  // The task's rule on whose kernels do the work (a candidate's timer only; the GPU tracer sees
  // kernels, the CPU clock does not and ignores it).
  virtual void SetKernelPolicy(const KernelPolicy&) {}
};

std::unique_ptr<Timer> MakeCpuClockTimer();

// The fastest of `n` no-op round trips shaped like `sample_call`, seconds.
Expected<double> MinNoopRoundTrip(Worker& worker, const Json& sample_call, int n = 20);
// Whether a candidate's no-op round trip is too slow to be honest next to a trusted worker's
// (more than 3x it plus 0.5 ms): its request handling is being slowed.
bool NoopHandlingSlowed(double candidate_s, double trusted_s);

}  // namespace referee::harness
