// Private: rebuilds windows from marker records and checks them against the parent's list.
#pragma once

#include <vector>

#include "referee/cupti/attribution.h"

namespace referee::cupti::internal {

// Pairs begin/end markers in time order into windows. Unpaired, nested or overlapping markers,
// and a window closed by another thread, add kWindowSequence findings.
std::vector<WindowTiming> BuildWindows(const std::vector<WireRecord>& records,
                                       std::vector<Finding>& findings);

// Checks ids and kinds against `expected` (same order) and each window against the parent's
// wall interval.
void CheckAgainstExpected(const std::vector<WindowTiming>& windows,
                          const std::vector<ExpectedWindow>& expected,
                          const AttributionOptions& options, std::vector<Finding>& findings);

}  // namespace referee::cupti::internal
