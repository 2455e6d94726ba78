#include "referee/cupti/attribution.h"

#include <algorithm>
#include <cstring>
#include <regex>
#include <set>
#include <unordered_map>

#include "referee/base/strings.h"
#include "referee/cupti/library_kernels.h"
#include "windows_internal.h"

namespace referee::cupti {
namespace {

using ull = unsigned long long;

struct WindowWork {
  std::vector<std::pair<uint64_t, uint64_t>> intervals;
  std::set<uint32_t> streams;
  uint64_t latest_end = 0;
  // The latest end on a stream other than the caller's (all streams when it is unknown).
  uint64_t latest_other_end = 0;
  uint32_t late_stream = 0;
  uint64_t longest_library_ns = 0;
};

// Index of the last window that begins at or before t, or -1.
long WindowAtOrBefore(const std::vector<WindowTiming>& windows, uint64_t t) {
  auto it = std::upper_bound(windows.begin(), windows.end(), t,
                             [](uint64_t v, const WindowTiming& w) { return v < w.begin_ns; });
  return static_cast<long>(it - windows.begin()) - 1;
}

// The candidate window to blame for stray work at or after window index i.
uint64_t BlamedWindow(const std::vector<WindowTiming>& windows, long i) {
  for (long j = i; j >= 0; --j) {
    if (windows[j].kind != WindowKind::kHarness) return windows[j].id;
  }
  return windows.empty() ? 0 : windows.front().id;
}

std::string Describe(const WireRecord& r) {
  const char* what = r.kind == RecordKind::kKernel   ? "kernel"
                     : r.kind == RecordKind::kMemcpy ? "memcpy"
                                                     : "memset";
  return StrFormat("%s '%s' on stream %u [%llu, %llu]", what, r.name, r.stream_id,
                   static_cast<ull>(r.start), static_cast<ull>(r.end));
}

class Attributor final {
 public:
  Attributor(const Trace& trace, const AttributionOptions& options)
      : trace_(trace), options_(options) {
    for (const WireRecord& r : trace.records) {
      if (r.kind == RecordKind::kRuntimeApi || r.kind == RecordKind::kDriverApi) {
        launches_.emplace(r.correlation_id, &r);
      }
    }
  }

  void Run(Attribution& out) {
    work_.resize(out.windows.size());
    for (const WireRecord& r : trace_.records) {
      if (IsGpuWork(r.kind)) Place(r, out);
    }
    for (size_t i = 0; i < out.windows.size(); ++i) Summarise(out.windows[i], work_[i], out);
  }

 private:
  void Place(const WireRecord& r, Attribution& out) {
    const std::vector<WindowTiming>& windows = out.windows;
    long i = WindowAtOrBefore(windows, r.start);
    if (i < 0) {
      ++out.records_before_first_window;
      return;
    }
    const WindowTiming& w = windows[i];
    // Launched after the window closed (host clock against host clock), or running past its
    // close by more than the GPU/host timestamp skew.
    uint64_t closed = w.end_ns + options_.gpu_host_skew_ns;
    if (LaunchedAfter(r, w.end_ns) || r.start > closed || r.end > closed) {
      out.findings.push_back({Violation::kActivityOutsideWindow, BlamedWindow(windows, i),
                              Describe(r) + " ran outside every timed window"});
      return;
    }
    if (w.kind == WindowKind::kHarness && !LaunchedByHarness(r, w)) {
      out.findings.push_back({Violation::kActivityOutsideWindow, BlamedWindow(windows, i),
                              Describe(r) + " ran in a harness window but was not launched by "
                                            "the harness"});
      return;
    }
    WindowWork& work = work_[i];
    work.intervals.emplace_back(r.start, r.end);
    work.streams.insert(r.stream_id);
    work.latest_end = std::max(work.latest_end, r.end);
    bool callers = w.caller_stream_id != 0 && r.stream_id == w.caller_stream_id;
    if (!callers && r.end > work.latest_other_end) {
      work.latest_other_end = r.end;
      work.late_stream = r.stream_id;
    }
    if (r.kind == RecordKind::kKernel) {
      out.windows[i].kernels++;
      out.windows[i].kernel_ns += r.end - r.start;
      if (options_.require_own_kernels) CountLibraryKernel(r, out.windows[i], work);
    }
    if (r.kind == RecordKind::kMemset) {
      out.windows[i].max_memset_bytes = std::max(out.windows[i].max_memset_bytes, r.bytes);
    }
  }

  void CountLibraryKernel(const WireRecord& r, WindowTiming& w, WindowWork& work) {
    std::string_view name(r.name, strnlen(r.name, sizeof(r.name)));
    std::string_view library = LibraryOf(name);
    if (library.empty() || Allowed(name)) return;
    uint64_t ns = r.end - r.start;
    w.library_kernel_ns += ns;
    if (ns >= work.longest_library_ns) {
      work.longest_library_ns = ns;
      w.top_library_kernel = StrFormat("%.*s '%.*s'", static_cast<int>(library.size()),
                                       library.data(), static_cast<int>(name.size()), name.data());
    }
  }

  bool Allowed(std::string_view name) {
    if (allowed_.size() != options_.allowed_library_kernels.size()) {
      allowed_.clear();
      for (const std::string& a : options_.allowed_library_kernels) {
        allowed_.emplace_back(a, std::regex::ECMAScript | std::regex::optimize);
      }
    }
    std::string n(name);
    return std::any_of(allowed_.begin(), allowed_.end(),
                       [&](const std::regex& re) { return std::regex_search(n, re); });
  }

  bool LaunchedAfter(const WireRecord& r, uint64_t t) const {
    auto it = launches_.find(r.correlation_id);
    return it != launches_.end() && it->second->start > t;
  }

  bool LaunchedByHarness(const WireRecord& r, const WindowTiming& w) const {
    auto it = launches_.find(r.correlation_id);
    if (it == launches_.end()) return false;
    const WireRecord& api = *it->second;
    return api.thread_id == w.thread_id && api.start >= w.begin_ns && api.start <= w.end_ns;
  }

  void Summarise(WindowTiming& w, WindowWork& work, Attribution& out) const {
    w.gpu_records = work.intervals.size();
    w.streams.assign(work.streams.begin(), work.streams.end());
    if (work.intervals.empty()) {
      if (w.kind == WindowKind::kCall) {
        out.findings.push_back({Violation::kNoGpuActivity, w.id, "call launched no GPU work"});
      }
      return;
    }
    w.first_start_ns = std::min_element(work.intervals.begin(), work.intervals.end())->first;
    w.last_end_ns = work.latest_end;
    w.span_ns = w.last_end_ns - w.first_start_ns;
    w.busy_ns = UnionLength(work.intervals);
    // Work on the caller's stream had drained when its synchronise returned; work elsewhere
    // that ends later was never joined to it.
    if (w.kind == WindowKind::kCall &&
        work.latest_other_end > w.stream_drained_ns + options_.gpu_host_skew_ns) {
      out.findings.push_back({Violation::kUnjoinedStream, w.id,
                              StrFormat("work on stream %u finished %llu ns after the caller's "
                                        "stream drained",
                                        work.late_stream,
                                        static_cast<ull>(work.latest_other_end -
                                                         w.stream_drained_ns))});
    }
  }

  const Trace& trace_;
  const AttributionOptions& options_;
  std::unordered_map<uint32_t, const WireRecord*> launches_;
  std::vector<WindowWork> work_;
  std::vector<std::regex> allowed_;
};

// The candidate's own kernels must do the work: a call's library share of kernel time above the
// limit is `library-kernels`.
void CheckOwnKernels(const Attribution& a, const AttributionOptions& options,
                     std::vector<Finding>& findings) {
  if (!options.require_own_kernels) return;
  for (const WindowTiming& w : a.windows) {
    if (w.kind != WindowKind::kCall || w.kernel_ns == 0) continue;
    double share = static_cast<double>(w.library_kernel_ns) / static_cast<double>(w.kernel_ns);
    if (share <= options.max_library_share) continue;
    findings.push_back(
        {Violation::kLibraryKernels, w.id,
         StrFormat("%.0f%% of the call's kernel time is in library kernels (the longest: %s), at "
                   "most %.0f%% allowed: the candidate's own kernels must do the work",
                   100 * share, w.top_library_kernel.c_str(), 100 * options.max_library_share)});
  }
}

// Cold mode: each call window right after a harness window holding a memset of at least
// min_flush_bytes (the worker flushes L2 in the harness window it opens before every call).
void CheckColdFlushes(const Attribution& a, const AttributionOptions& options,
                      std::vector<Finding>& findings) {
  if (options.min_flush_bytes == 0) return;
  for (size_t i = 0; i < a.windows.size(); ++i) {
    const WindowTiming& w = a.windows[i];
    if (w.kind != WindowKind::kCall) continue;
    const WindowTiming* before = i > 0 ? &a.windows[i - 1] : nullptr;
    uint64_t flushed =
        before && before->kind == WindowKind::kHarness ? before->max_memset_bytes : 0;
    if (flushed >= options.min_flush_bytes) continue;
    findings.push_back({Violation::kColdFlushMissing, w.id,
                        StrFormat("no L2 flush before the call: the largest memset in the "
                                  "harness window before it is %llu bytes, the flush is at "
                                  "least %llu",
                                  static_cast<ull>(flushed),
                                  static_cast<ull>(options.min_flush_bytes))});
  }
}

void CheckSpans(const Attribution& a, const std::vector<ExpectedWindow>& expected,
                const AttributionOptions& options, std::vector<Finding>& findings) {
  size_t n = std::min(a.windows.size(), expected.size());
  for (size_t i = 0; i < n; ++i) {
    const WindowTiming& w = a.windows[i];
    if (!expected[i].wall || w.kind != WindowKind::kCall || w.id != expected[i].id) continue;
    uint64_t wall = expected[i].wall->end_ns - expected[i].wall->begin_ns;
    if (w.span_ns > wall + options.clock_tolerance_ns) {
      findings.push_back({Violation::kSpanExceedsWall, w.id,
                          StrFormat("GPU span %llu ns exceeds the parent's wall interval %llu ns",
                                    static_cast<ull>(w.span_ns), static_cast<ull>(wall))});
    }
  }
}

}  // namespace

std::string_view ViolationId(Violation violation) {
  switch (violation) {
    case Violation::kWindowSequence:
      return "window-sequence";
    case Violation::kActivityOutsideWindow:
      return "activity-outside-window";
    case Violation::kUnjoinedStream:
      return "unjoined-stream";
    case Violation::kNoGpuActivity:
      return "no-gpu-activity";
    case Violation::kWindowOutsideWall:
      return "window-outside-wall";
    case Violation::kSpanExceedsWall:
      return "span-exceeds-wall";
    case Violation::kColdFlushMissing:
      return "cold-flush-missing";
    case Violation::kLibraryKernels:
      return "library-kernels";
  }
  return "unknown";
}

uint64_t UnionLength(std::vector<std::pair<uint64_t, uint64_t>> intervals) {
  std::sort(intervals.begin(), intervals.end());
  uint64_t total = 0;
  uint64_t cur_start = 0;
  uint64_t cur_end = 0;
  bool open = false;
  for (const auto& [start, end] : intervals) {
    if (open && start <= cur_end) {
      cur_end = std::max(cur_end, end);
      continue;
    }
    if (open) total += cur_end - cur_start;
    cur_start = start;
    cur_end = end;
    open = true;
  }
  if (open) total += cur_end - cur_start;
  return total;
}

Attribution Attribute(const Trace& trace, const std::vector<ExpectedWindow>& expected,
                      const AttributionOptions& options) {
  Attribution out;
  out.windows = internal::BuildWindows(trace.records, out.findings);
  internal::CheckAgainstExpected(out.windows, expected, options, out.findings);
  Attributor(trace, options).Run(out);
  CheckSpans(out, expected, options, out.findings);
  CheckColdFlushes(out, options, out.findings);
  CheckOwnKernels(out, options, out.findings);
  std::stable_sort(out.findings.begin(), out.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.violation < b.violation; });
  return out;
}

}  // namespace referee::cupti
