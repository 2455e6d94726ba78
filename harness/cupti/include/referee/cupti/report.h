// JSON views of traces and attributions, and the "independent" per-iteration measurement used to
// cross-check the harness: a plain loop of (flush memset, candidate call) traced without windows,
// split at the flush memsets.
//
//   Json j = AttributionToJson(Attribute(trace, windows, {}));   // referee/timing/gpu/... keys
//   std::vector<RawIteration> it = SplitByFlush(trace, 2 * l2_bytes);
#pragma once

#include <cstdint>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/json.h"
#include "referee/cupti/attribution.h"

namespace referee::cupti {

struct RawIteration {
  uint64_t kernel_ns = 0;  // sum of kernel durations
  uint64_t busy_ns = 0;    // union of kernel/memcpy/memset intervals (flush excluded)
  uint64_t span_ns = 0;    // max(end) - min(start) (flush excluded)
  uint64_t records = 0;
};

// GPU records in time order; each memset of exactly `flush_bytes` starts a new iteration (the
// records before the first flush are dropped: warm-up and setup).
std::vector<RawIteration> SplitByFlush(const Trace& trace, uint64_t flush_bytes);

// Keeps what attribution reads: window markers, GPU records, and the API records that launched
// them (matched by correlation id). Used to shrink recorded traces into test data.
std::vector<WireRecord> TrimForAttribution(const Trace& trace);

Json AttributionToJson(const Attribution& attribution);
Json RawIterationsToJson(const std::vector<RawIteration>& iterations);

// Reads the parent's window list: {"windows": [{"id": 3, "kind": "call"|"harness"|"setup",
// "wall_begin_ns": ..., "wall_end_ns": ...}, ...]} (wall fields optional).
Expected<std::vector<ExpectedWindow>> ExpectedWindowsFromJson(const Json& json,
                                                              std::string_view path);

}  // namespace referee::cupti
