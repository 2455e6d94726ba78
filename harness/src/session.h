// One candidate worker on one workload: allocation of fresh arena slots, input generation,
// poisoning, the call, and every per-call check. Shared by Evaluate() and Compare().
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "referee/harness/checks.h"
#include "referee/harness/evaluator.h"
#include "referee/harness/timer.h"
#include "referee/harness/worker.h"

namespace referee::harness {

// Ring allocator over the arena: offsets grow until the end, then restart at the first
// 256-byte start never used before, so a buffer address does not come back (until all
// size/256 starts are used) and the previous two calls' buffers stay intact (the arena holds
// eight call-sets).
class SlotAllocator final {
 public:
  SlotAllocator(size_t arena_bytes, size_t callset_bytes)
      : size_(arena_bytes), callset_(callset_bytes) {}
  size_t Allocate(size_t bytes);

 private:
  size_t size_, callset_;
  size_t cursor_ = 0;
  std::unordered_set<size_t> used_;
};

// Bytes of one call's inputs and outputs in the arena (256-byte aligned).
size_t CallsetBytes(const ConcreteWorkload& w);
// Arena for calls of up to `repeat` invocations each: at least eight call-sets, and room for
// the current batch and the previous two intact.
size_t ArenaBytesFor(const ConcreteWorkload& w, int repeat = 1);

// Hot mode batches (EvalOptions::hot_*): the most invocations one timed window may hold, by
// count and by memory (each invocation has its own buffers, in the arena and on the GPU).
inline constexpr size_t kHotBatchBytes = size_t{256} << 20;
int MaxHotRepeat(size_t callset_bytes, const EvalOptions& options);
// R for a per-invocation time measured in warm-up: the fixed --repeat if given, else enough
// invocations for a window of options.hot_window_s; within [1, max_repeat].
int ChooseHotRepeat(double per_call_s, int max_repeat, const EvalOptions& options);

// The trusted reference: computes outputs for given input bytes.
class ReferenceRunner final {
 public:
  static Expected<std::unique_ptr<ReferenceRunner>> Start(const Task& task, size_t arena_bytes,
                                                          const std::string& device = "cpu");
  // KernelBench: asks the reference for input/output shapes (get_inputs + one forward).
  Expected<ConcreteWorkload> Describe(const Task& task);
  Expected<std::vector<std::string>> Run(const ConcreteWorkload& w,
                                         const std::vector<std::string>& inputs);
  Worker& worker() { return *worker_; }
  int threads_at_load() const { return threads_at_load_; }

 private:
  std::unique_ptr<Worker> worker_;
  int threads_at_load_ = 1;
};

struct CallResult {
  std::optional<CheckFailure> failure;
  double seconds = 0;          // per invocation: the timed window / repeat
  int repeat = 1;              // invocations back to back in the window (hot mode)
  std::optional<double> sm_mhz;  // the worker's SM clock reading before the window (advisory)
};

// A timer's error as a check failure: "unjoined-stream: ..." -> check "unjoined-stream".
CheckFailure TimerFailure(const Status& s);

class CandidateSession final {
 public:
  // A failure to start or load is returned as a CheckFailure in `load_failure`.
  static Expected<std::unique_ptr<CandidateSession>> Start(
      const Task& task, const Candidate& candidate, const ConcreteWorkload& w,
      ReferenceRunner* reference, const EvalOptions& options, Launcher& launcher,
      bool trusted_timing_only);
  std::optional<CheckFailure> load_failure() const { return load_failure_; }
  // A session started before its reference was up (the start-ups overlap) gets it here,
  // before the first call.
  void set_reference(ReferenceRunner* reference) { reference_ = reference; }

  // One timed window: cold mode one invocation, hot mode repeat() invocations back to back,
  // each on its own fresh inputs and poisoned outputs, each checked.
  CallResult Call();
  // After the warm-up calls (their samples): hot mode picks R; on the GPU the thread
  // baseline is taken now (CUDA, CUPTI and Triton start their threads lazily).
  void EndWarmup(const std::vector<double>& warmup_seconds);
  int repeat() const { return hot_ ? repeat_ : 1; }
  int calls() const { return calls_; }
  int full_checks() const { return full_checks_; }
  uint64_t nonce() const { return nonce_; }
  double timer_overhead_s() const { return timer_ ? timer_->overhead_s() : 0; }
  // Parent wall seconds spent in each step of Call(), summed over the calls (a diagnostic
  // for the cost per call: prepare, request, observe, trace, reference, checks).
  const std::map<std::string, double>& call_phase_s() const { return call_phase_s_; }
  // Stops the worker; for a traced timer, its end-of-trace verdict (late work, bad trace).
  std::optional<CheckFailure> Finish();

 private:
  struct PendingCall {
    std::vector<std::string> inputs;  // the parent's copy of this call's input bytes
    std::vector<size_t> in_off, out_off;
    Json request;
    CallObservation obs;
    bool poisoned = false;
  };
  CandidateSession() = default;
  void PrepareCall(PendingCall& p);
  Json BatchRequest(const std::vector<PendingCall>& batch) const;
  void Observe(PendingCall& p);
  void ObserveBatch(std::vector<PendingCall>& batch);
  std::optional<CheckFailure> CheckCall(PendingCall& p);
  std::optional<CheckFailure> WholeTraceVerdict(CheckFailure f);
  bool ReplaysAnEarlierOutput(const PendingCall& p);
  std::optional<CheckFailure> WorkerFailed();
  void FlushCache();

  const ConcreteWorkload* w_ = nullptr;
  ReferenceRunner* reference_ = nullptr;
  const EvalOptions* options_ = nullptr;
  bool timing_only_ = false;
  bool hot_ = false;
  bool traced_ = false;
  int repeat_ = 1;
  int max_repeat_ = 1;
  std::unique_ptr<Worker> worker_;
  std::unique_ptr<Timer> timer_;
  std::unique_ptr<SlotAllocator> slots_;
  std::vector<std::unique_ptr<CallCheck>> checks_;
  std::optional<CheckFailure> load_failure_;
  std::mt19937_64 rng_;
  std::mt19937_64 pick_rng_;
  uint64_t nonce_ = 0;
  uint64_t hash_key_ = 0;  // keys the buffer hashes; secret from the candidate
  int baseline_threads_ = 1;
  int calls_ = 0;
  int full_checks_ = 0;
  bool finished_ = false;
  std::optional<CheckFailure> finish_failure_;
  std::map<std::string, double> call_phase_s_;
  // Hash of each invocation's output bytes -> hash of its input bytes (replayed outputs).
  std::unordered_map<uint64_t, uint64_t> outputs_seen_;
};

}  // namespace referee::harness
