// The GPU timing backend of the harness's Timer interface (harness/include/referee/harness/
// timer.h): each call's time is the CUPTI span of the GPU work in its traced window, on any
// stream, read from the trace pipe of a worker started under libreferee_cupti_inject.so.
//
//   TracePipe pipe = MakeTracePipe().value();
//   spec.env.merge(TraceEnv("/abs/libreferee_cupti_inject.so", 5));  // place pipe.write_end
//   ... start the worker with pipe.write_end at fd 5, then pipe.write_end.Reset() here ...
//   options.make_timer = [&] { return std::make_unique<CuptiTimer>(std::move(pipe.read_end)); };
//   ... per call: timer->Begin(); worker.Request(call); timer->End(); timer->Sample(reply);
//   Status s = timer->Finish();   // after the worker exited: late work, final frame, drops
//
// Worker contract (harness/python/referee_worker.py implements it; the test fixture
// tests/gpu/fixtures/independent_worker.py follows it too): for the n-th call request
// (n = 1, 2, ...) open window n of kind REFEREE_WINDOW_CALL, run the candidate, close it with the
// stream given to the candidate, then referee_cupti_flush() BEFORE replying. Every other piece
// of GPU work of the worker (input copies, output read-back) sits in REFEREE_WINDOW_HARNESS
// windows opened by the same thread. Anything else is a violation (attribution.h), reported
// as the Sample error "<violation-id>: <detail>", which the session turns into a rejection.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "referee/base/fd.h"
#include "referee/cupti/attribution.h"
#include "referee/cupti/trace_reader.h"
#include "referee/harness/timer.h"

namespace referee::cupti {

// The trace channel, made before the worker starts: the write end goes to the child (at fd
// `child_fd`, with TraceEnv in its environment), the read end to CuptiTimer. The read end is
// close-on-exec; the parent must close its copy of the write end once the child has it, or the
// timer never sees the end of the trace.
struct TracePipe {
  UniqueFd read_end;
  UniqueFd write_end;
};
Expected<TracePipe> MakeTracePipe();
// CUDA_INJECTION64_PATH (absolute path of libreferee_cupti_inject.so) and REFEREE_CUPTI_FD.
std::map<std::string, std::string> TraceEnv(const std::string& inject_lib, int child_fd);

// The harness hook (EvalOptions::make_traced_timer): a fresh trace pipe whose write end goes
// to the worker at fd kTraceChildFd with TraceEnv, and a CuptiTimer on the read end.
inline constexpr int kTraceChildFd = 5;
struct CuptiTimerOptions {
  AttributionOptions attribution;
  // How long Sample waits for the call's closing marker to arrive on the pipe.
  double trace_timeout_s = 10;
};
Expected<std::unique_ptr<harness::Timer>> MakeTracedTimer(const std::string& inject_lib,
                                                          harness::WorkerSpec& spec,
                                                          CuptiTimerOptions options = {});

class CuptiTimer final : public harness::Timer {
 public:
  explicit CuptiTimer(UniqueFd trace_read_end, CuptiTimerOptions options = {});
  ~CuptiTimer() override;
  CuptiTimer(const CuptiTimer&) = delete;
  CuptiTimer& operator=(const CuptiTimer&) = delete;

  std::string name() const override { return "cupti"; }
  Status Prepare(harness::Worker& worker) override { return OkStatus(); }
  // CUPTI spans are GPU time: no channel overhead to measure or subtract.
  Status PrepareFor(harness::Worker&, const Json&, harness::Worker*) override {
    return OkStatus();
  }
  void Begin() override;
  void End() override;
  // Seconds of GPU span of the last call's window; an error for any violation so far.
  Expected<double> Sample(const harness::Reply& reply) override;
  double last_round_trip_s() const override;

  // Holds the parent's copy of the pipe's write end until the worker has started.
  void KeepChildEnd(UniqueFd write_end) { child_end_ = std::move(write_end); }
  void OnWorkerStarted() override { child_end_.Reset(); }

  // Waits for the trace to end (the worker exited), then checks the final frame, dropped
  // records and the whole trace's attribution (work launched after the last call).
  Status Finish() override;
  void SetKernelPolicy(const harness::KernelPolicy& policy) override;
  // Attribution of everything received so far.
  Attribution Current() const;

 private:
  void ReadLoop();
  bool WindowClosedLocked(uint64_t id);
  std::vector<ExpectedWindow> ExpectedLocked() const;
  Attribution AttributeLocked() const;
  Status FindingsToStatus(const Attribution& a) const;

  UniqueFd fd_;
  UniqueFd child_end_;
  CuptiTimerOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  TraceStreamParser parser_;
  bool eof_ = false;
  bool stop_ = false;
  size_t scanned_ = 0;  // records already searched for closing markers
  std::vector<uint64_t> closed_calls_;
  std::vector<WallInterval> walls_;  // per call, in order
  uint64_t begin_ns_ = 0;
  std::thread reader_;
};

}  // namespace referee::cupti
