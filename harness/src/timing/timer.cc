#include "referee/harness/timer.h"

#include <algorithm>

#include "referee/base/clock.h"
#include "referee/base/strings.h"

namespace referee::harness {
namespace {


class CpuClockTimer final : public Timer {
 public:
  std::string name() const override { return "cpu-clock"; }

  Status Prepare(Worker& worker) override {
    return PrepareFor(worker, Json{{"op", "noop"}}, nullptr);
  }
  Status PrepareFor(Worker& worker, const Json& sample_call, Worker* trusted_probe) override {
    REFEREE_ASSIGN_OR_RETURN(overhead_s_,
                             MinNoopRoundTrip(trusted_probe ? *trusted_probe : worker, sample_call));
    if (trusted_probe == nullptr) return OkStatus();
    REFEREE_ASSIGN_OR_RETURN(double own, MinNoopRoundTrip(worker, sample_call));
    if (NoopHandlingSlowed(own, overhead_s_)) {
      return AbortedError(StrFormat(
          "timer-tamper: the candidate's worker answers no-op requests in %.0f us, a trusted "
          "worker of the same program in %.0f us: its request handling is being slowed",
          own * 1e6, overhead_s_ * 1e6));
    }
    return OkStatus();
  }
  void Begin() override { begin_ = MonotonicRawSeconds(); }
  void End() override { end_ = MonotonicRawSeconds(); }
  Expected<double> Sample(const Reply&) override {
    return std::max(0.0, (end_ - begin_) - overhead_s_);
  }
  double last_round_trip_s() const override { return end_ - begin_; }
  double overhead_s() const override { return overhead_s_; }

 private:
  double overhead_s_ = 0;
  double begin_ = 0;
  double end_ = 0;
};

}  // namespace

std::unique_ptr<Timer> MakeCpuClockTimer() { return std::make_unique<CpuClockTimer>(); }

Expected<double> MinNoopRoundTrip(Worker& worker, const Json& sample_call, int n) {
  Json noop = sample_call;
  noop["op"] = "noop";  // same size to parse, nothing to run
  double begin = 0, end = 0, best = 1e9;
  RequestHooks hooks{[&begin] { begin = MonotonicRawSeconds(); },
                     [&end] { end = MonotonicRawSeconds(); }};
  for (int i = 0; i < n; ++i) {
    Expected<Reply> r = worker.Request(noop, 10.0, hooks);
    if (!r) return r.error();
    best = std::min(best, end - begin);
  }
  return best;
}

bool NoopHandlingSlowed(double candidate_s, double trusted_s) {
  return candidate_s > 3 * trusted_s + 5e-4;
}

}  // namespace referee::harness
