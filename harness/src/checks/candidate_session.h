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
#include "referee/harness/generate.h"
#include "referee/harness/evaluator.h"
#include "referee/harness/timer.h"
#include "referee/harness/worker.h"
#include "reference_runner.h"
#include "slot_allocator.h"

namespace referee::harness {

// Hot mode batches (EvalOptions::hot_*): the most invocations one timed window may hold, by
// count and by memory (each invocation has its own buffers, in the arena and on the GPU).
inline constexpr size_t kHotBatchBytes = size_t{256} << 20;
int MaxHotRepeat(size_t callset_bytes, const EvalOptions& options);
// R for a per-invocation time measured in warm-up: the fixed --repeat if given, else enough
// invocations for a window of options.hot_window_s; within [1, max_repeat].
int ChooseHotRepeat(double per_call_s, int max_repeat, const EvalOptions& options);

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
  void set_reference(ReferenceRunner* reference) { reference_ = inputs_ = reference; }
  // The trusted worker that draws the task's custom inputs (custom_inputs_entrypoint) for each
  // call: the reference's, also for the timing-only sessions of the reference and baseline.
  void set_input_source(ReferenceRunner* inputs) { inputs_ = inputs; }

  // One timed window: cold mode one invocation, hot mode repeat() invocations back to back,
  // each on its own fresh inputs and poisoned outputs, each checked.
  CallResult Call();
  // One untimed call on inputs pushed to `probe`'s range, checked in full against the reference
  // (skipped when the reference itself is not finite there); a failure is check `robustness`.
  CallResult ProbeCall(const InputProbe& probe);
  // One untimed call on ordinary inputs, checked in full, and its float32 outputs compared
  // with a float64 run of the reference (checks.h ComparePrecision): `reduced-precision`. A
  // reference that cannot run in float64 leaves the probe silent.
  CallResult PrecisionProbeCall();
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
  static Expected<Worker*> OverheadProbe(const Candidate& candidate, ReferenceRunner* reference,
                                         size_t arena, const EvalOptions& options,
                                         std::unique_ptr<Worker>& owner);
  std::optional<CheckFailure> PrepareCall(PendingCall& p);
  Expected<std::vector<std::string>> DrawCustomInputs();
  Json BatchRequest(const std::vector<PendingCall>& batch) const;
  void Observe(PendingCall& p);
  void ObserveBatch(std::vector<PendingCall>& batch);
  std::optional<CheckFailure> CheckCall(PendingCall& p);
  std::optional<CheckFailure> CheckProbe(PendingCall& p);
  std::optional<CheckFailure> CheckPrecision(PendingCall& p);
  std::optional<CheckFailure> WholeTraceVerdict(CheckFailure f);
  bool ReplaysAnEarlierOutput(const PendingCall& p);
  std::optional<CheckFailure> WorkerFailed();
  void FlushCache(const std::vector<PendingCall>& batch);

  const InputProbe* probe_ = nullptr;  // set during ProbeCall
  bool precision_probe_ = false;       // set during PrecisionProbeCall
  const ConcreteWorkload* w_ = nullptr;
  ReferenceRunner* reference_ = nullptr;
  ReferenceRunner* inputs_ = nullptr;   // draws custom inputs (custom_inputs_entry_)
  std::string custom_inputs_entry_;
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
