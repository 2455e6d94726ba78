// Monotonic clocks in seconds, the one place the harness reads them (issue #12: four copies
// before). MonotonicSeconds() for deadlines and phase walls; MonotonicRawSeconds() where a
// measurement must not be slewed by NTP (the CPU backend's trusted timer).
#pragma once

namespace referee {

double MonotonicSeconds();     // CLOCK_MONOTONIC
double MonotonicRawSeconds();  // CLOCK_MONOTONIC_RAW
void SleepSeconds(double seconds);

}  // namespace referee
