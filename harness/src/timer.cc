#include "referee/harness/timer.h"

#include <time.h>

#include <algorithm>

namespace referee::harness {
namespace {

double NowS() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

class CpuClockTimer final : public Timer {
 public:
  std::string name() const override { return "cpu-clock"; }

  Status Prepare(Worker& worker) override {
    overhead_s_ = 1e9;
    for (int i = 0; i < 20; ++i) {
      double t0 = NowS();
      Expected<Reply> r = worker.Request(Json{{"op", "noop"}}, 10.0);
      double t1 = NowS();
      if (!r) return r.error();
      overhead_s_ = std::min(overhead_s_, t1 - t0);
    }
    return OkStatus();
  }
  void Begin() override { begin_ = NowS(); }
  void End() override { end_ = NowS(); }
  Expected<double> Sample(const Reply&) override {
    return std::max(0.0, (end_ - begin_) - overhead_s_);
  }
  double last_round_trip_s() const override { return end_ - begin_; }

 private:
  double overhead_s_ = 0;
  double begin_ = 0;
  double end_ = 0;
};

}  // namespace

std::unique_ptr<Timer> MakeCpuClockTimer() { return std::make_unique<CpuClockTimer>(); }

}  // namespace referee::harness
