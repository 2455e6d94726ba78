#include "referee/base/clock.h"
#include "referee/harness/timer.h"

#include <time.h>

#include <algorithm>

namespace referee::harness {
namespace {


class CpuClockTimer final : public Timer {
 public:
  std::string name() const override { return "cpu-clock"; }

  Status Prepare(Worker& worker) override { return PrepareFor(worker, Json{{"op", "noop"}}); }
  Status PrepareFor(Worker& worker, const Json& sample_call) override {
    overhead_s_ = 1e9;
    Json noop = sample_call;
    noop["op"] = "noop";  // same size to parse, nothing to run
    RequestHooks hooks{[this] { Begin(); }, [this] { End(); }};
    for (int i = 0; i < 20; ++i) {
      Expected<Reply> r = worker.Request(noop, 10.0, hooks);
      if (!r) return r.error();
      overhead_s_ = std::min(overhead_s_, end_ - begin_);
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

}  // namespace referee::harness
