// Attributes every GPU record of a validated trace (trace_reader.h) to the window that contains
// it, on any stream, and checks the windows against what the parent asked for and saw.
//
//   std::vector<ExpectedWindow> asked = ...;  // ids, kinds, the parent's wall interval per call
//   Attribution a = Attribute(*trace, asked, {});
//   for (const WindowTiming& w : a.windows) if (w.kind == WindowKind::kCall) Use(w.span_ns);
//   if (!a.ok()) Reject(a.findings.front());  // findings are in priority order
//
// Rules (issue #7):
// - windows come from marker records; their ids and kinds must be exactly the ones the parent
//   asked for, in order, each one closed by the thread that opened it, none overlapping;
// - a GPU record (kernel, memcpy, memset) belongs to the window whose [begin, end] contains it.
//   One that starts outside every window, or ends after its window closed, is candidate work
//   outside its timed window (deferred thread, late launch): the run is rejected. Records before
//   the first window are the harness's own start-up and are allowed;
// - GPU work inside a harness window must have been launched by the harness thread from inside
//   that window (so a candidate's background thread cannot hide its work there);
// - a call window must hold GPU work, and all of it must have finished by the time the caller's
//   stream drained (else the candidate left work on a stream the caller never joined);
// - the window must lie inside the parent's own wall-clock interval for the call, and the span
//   must not exceed it (a forged or shifted clock);
// - in cold mode (min_flush_bytes), the harness window before each call must hold the L2 flush.
// Per call window: span = max(end) - min(start), busy = length of the union of the records'
// intervals, kernel_ns = sum of kernel durations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "referee/cupti/trace_format.h"
#include "referee/cupti/trace_reader.h"

namespace referee::cupti {

// In priority order: the first finding of the lowest value decides the verdict.
enum class Violation {
  kWindowSequence = 0,
  kActivityOutsideWindow,
  kUnjoinedStream,
  kNoGpuActivity,
  kWindowOutsideWall,
  kSpanExceedsWall,
  kColdFlushMissing,
  kLibraryKernels,
};
// Stable kebab-case ids: "window-sequence", "activity-outside-window", ...
std::string_view ViolationId(Violation violation);

struct WallInterval {
  uint64_t begin_ns = 0;  // parent's CLOCK_REALTIME before asking for the call
  uint64_t end_ns = 0;    // ... after the worker said it was done
};

struct ExpectedWindow {
  uint64_t id = 0;
  WindowKind kind = WindowKind::kCall;
  std::optional<WallInterval> wall;  // checked when present
};

struct AttributionOptions {
  // Slack between the parent's CLOCK_REALTIME and CUPTI timestamps.
  uint64_t clock_tolerance_ns = 200'000;
  // Skew between CUPTI's normalised GPU timestamps and the host's cuptiGetTimestamp() read at
  // the window markers: an honest Triton kernel on the caller's own stream ended 2.3 us after
  // the host saw that stream drained (H200). Work on another stream may end this long after
  // the drain, and work this long after its window closed, and still count; the window's span
  // counts such work either way.
  uint64_t gpu_host_skew_ns = 20'000;
  // Cold mode: the harness window right before each call window must hold a memset of at
  // least this many bytes (the worker's 2x L2 flush), else `cold-flush-missing`. 0: no check
  // (hot mode). The worker is the candidate's process: code that skips or shrinks its flush
  // would time every call with a warm L2.
  uint64_t min_flush_bytes = 0;
  // The candidate's own kernels must do the work (issue 18 item 6; definition.json "kernels"):
  // a call whose kernel time is more than max_library_share in library kernels
  // (library_kernels.h) is `library-kernels`. Kernels whose name matches one of
  // `allowed_library_kernels` (ECMAScript regexes, searched) do not count as the library's.
  bool require_own_kernels = false;
  double max_library_share = 0.5;
  std::vector<std::string> allowed_library_kernels;
};

struct Finding {
  Violation violation;
  uint64_t window_id = 0;  // the call blamed
  std::string detail;
};

struct WindowTiming {
  uint64_t id = 0;
  WindowKind kind = WindowKind::kCall;
  uint32_t thread_id = 0;
  uint64_t begin_ns = 0;           // after the opening context synchronise
  uint64_t returned_ns = 0;        // when the candidate's call returned
  uint64_t stream_drained_ns = 0;  // when the caller's stream had drained
  uint32_t caller_stream_id = 0;   // CUPTI id of the caller's stream; 0 = unknown
  uint64_t end_ns = 0;             // after the closing context synchronise
  uint64_t gpu_records = 0;
  uint64_t kernels = 0;
  uint64_t first_start_ns = 0;
  uint64_t last_end_ns = 0;
  uint64_t span_ns = 0;
  uint64_t busy_ns = 0;
  uint64_t kernel_ns = 0;
  uint64_t max_memset_bytes = 0;  // the largest memset placed in the window
  uint64_t library_kernel_ns = 0;  // kernel time in library kernels (library_kernels.h)
  std::string top_library_kernel;  // the longest library kernel's "library 'name'"
  std::vector<uint32_t> streams;  // distinct stream ids, ascending
};

struct Attribution {
  std::vector<WindowTiming> windows;  // in time order
  std::vector<Finding> findings;      // sorted by priority, then window order
  uint64_t records_before_first_window = 0;
  bool ok() const { return findings.empty(); }
};

Attribution Attribute(const Trace& trace, const std::vector<ExpectedWindow>& expected,
                      const AttributionOptions& options);

// Length of the union of [start, end) intervals.
uint64_t UnionLength(std::vector<std::pair<uint64_t, uint64_t>> intervals);

}  // namespace referee::cupti
