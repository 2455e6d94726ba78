#include "referee/base/clock.h"

#include <errno.h>
#include <time.h>

namespace referee {
namespace {

double Read(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

double MonotonicSeconds() { return Read(CLOCK_MONOTONIC); }
double MonotonicRawSeconds() { return Read(CLOCK_MONOTONIC_RAW); }

void SleepSeconds(double seconds) {
  if (seconds <= 0) return;
  auto whole = static_cast<time_t>(seconds);
  timespec ts{whole, static_cast<long>((seconds - static_cast<double>(whole)) * 1e9)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

}  // namespace referee
