#include <algorithm>

#include "referee/base/strings.h"
#include "windows_internal.h"

namespace referee::cupti::internal {
namespace {

using ull = unsigned long long;

void AddSequenceFinding(std::vector<Finding>& findings, uint64_t id, std::string detail) {
  findings.push_back({Violation::kWindowSequence, id, std::move(detail)});
}

std::vector<const WireRecord*> SortedMarkers(const std::vector<WireRecord>& records) {
  std::vector<const WireRecord*> markers;
  for (const WireRecord& r : records) {
    if (r.kind == RecordKind::kWindowBegin || r.kind == RecordKind::kWindowEnd) {
      markers.push_back(&r);
    }
  }
  // A begin and the end before it can share a timestamp; ends sort first then.
  std::stable_sort(markers.begin(), markers.end(), [](const WireRecord* a, const WireRecord* b) {
    if (a->start != b->start) return a->start < b->start;
    return a->kind == RecordKind::kWindowEnd && b->kind == RecordKind::kWindowBegin;
  });
  return markers;
}

WindowTiming OpenWindow(const WireRecord& begin) {
  WindowTiming w;
  w.id = begin.aux;
  w.kind = static_cast<WindowKind>(begin.flags);
  w.thread_id = begin.thread_id;
  w.begin_ns = begin.start;
  return w;
}

}  // namespace

std::vector<WindowTiming> BuildWindows(const std::vector<WireRecord>& records,
                                       std::vector<Finding>& findings) {
  std::vector<WindowTiming> windows;
  std::optional<WindowTiming> open;
  for (const WireRecord* m : SortedMarkers(records)) {
    if (m->kind == RecordKind::kWindowBegin) {
      if (open) AddSequenceFinding(findings, open->id, "window opened inside another window");
      open = OpenWindow(*m);
      continue;
    }
    if (!open) {
      AddSequenceFinding(findings, m->aux, "window closed that was never opened");
      continue;
    }
    if (m->aux != open->id || m->flags != static_cast<uint16_t>(open->kind) ||
        m->thread_id != open->thread_id) {
      AddSequenceFinding(findings, open->id,
                         StrFormat("window %llu closed by a different window id, kind or thread",
                                   static_cast<ull>(open->id)));
    }
    open->returned_ns = m->start;
    open->stream_drained_ns = m->bytes;
    open->caller_stream_id = m->stream_id;
    open->end_ns = m->end;
    windows.push_back(*open);
    open.reset();
  }
  if (open) AddSequenceFinding(findings, open->id, "window never closed");
  return windows;
}

void CheckAgainstExpected(const std::vector<WindowTiming>& windows,
                          const std::vector<ExpectedWindow>& expected,
                          const AttributionOptions& options, std::vector<Finding>& findings) {
  if (windows.size() != expected.size()) {
    AddSequenceFinding(
        findings, windows.empty() ? 0 : windows.back().id,
        StrFormat("trace has %zu windows, the parent opened %zu", windows.size(), expected.size()));
  }
  size_t n = std::min(windows.size(), expected.size());
  uint64_t tol = options.clock_tolerance_ns;
  for (size_t i = 0; i < n; ++i) {
    const WindowTiming& w = windows[i];
    const ExpectedWindow& e = expected[i];
    if (w.id != e.id || w.kind != e.kind) {
      AddSequenceFinding(findings, e.id,
                         StrFormat("window %zu is id %llu kind %d, the parent opened id %llu "
                                   "kind %d",
                                   i, static_cast<ull>(w.id), static_cast<int>(w.kind),
                                   static_cast<ull>(e.id), static_cast<int>(e.kind)));
      continue;
    }
    if (!e.wall) continue;
    if (w.begin_ns + tol < e.wall->begin_ns || w.end_ns > e.wall->end_ns + tol) {
      findings.push_back({Violation::kWindowOutsideWall, w.id,
                          "traced window lies outside the parent's wall-clock interval"});
    }
  }
}

}  // namespace referee::cupti::internal
