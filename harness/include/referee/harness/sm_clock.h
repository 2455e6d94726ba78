// The SM clock per timed sample (issue #7): on the GPU the worker runs a timestamp kernel in a
// harness window right before each timed call window. It spins a fixed number of SM cycles
// (clock64) and reads %globaltimer before and after, so MHz = cycles / ns * 1e3. The parent
// keeps the reading per sample (raw, in the JSON), flags samples that ran well below the
// evaluation's fastest clock as throttled, and warns when many were.
//
//   std::optional<double> mhz = SmClockMhz(reply.body);   // per call, from the worker's reply
//   ClockReport c = FlagThrottled(per_sample_mhz);         // after the measurement
//   if (c.warn) ...                                        // advisory: never a rejection
//
// Advisory only, by design: the reading comes from the candidate's process, which could forge
// it. A forged reading gains nothing: it never scales, corrects or filters a time (times come
// from CUPTI records alone) and never decides PASS/FAIL; forging a high clock only hides a
// warning about noisy numbers, forging a low one adds a warning against itself.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "referee/base/json.h"

namespace referee::harness {

// MHz from the reply's "sm_clock": {"cycles": C, "ns": N}; nullopt when absent or implausible
// (non-numeric, N <= 0, or outside 1 MHz .. 10 GHz).
std::optional<double> SmClockMhz(const Json& reply);

struct ClockReport {
  std::vector<double> mhz;         // per sample, in sample order; 0 = not read
  size_t read = 0;                 // samples with a reading
  double min_mhz = 0, max_mhz = 0;
  double threshold_mhz = 0;        // ratio x the evaluation's highest reading
  std::vector<size_t> throttled;   // indices of samples below the threshold
  bool warn = false;               // more than warn_fraction of the read samples throttled
};

// Flags samples whose clock is below `ratio` times the highest reading of the evaluation.
ClockReport FlagThrottled(const std::vector<double>& mhz, double ratio = 0.9,
                          double warn_fraction = 0.1);

// One line for the report when `c.warn`.
std::string ThrottleWarning(const ClockReport& c);

// {"mhz": [...], "min_mhz", "max_mhz", "threshold_mhz", "throttled", "throttled_samples",
//  "warning"} or null when no sample has a reading.
Json ClockReportToJson(const ClockReport& c);

}  // namespace referee::harness
