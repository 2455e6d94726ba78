#include "referee/cupti/report.h"

#include <algorithm>
#include <unordered_set>

#include "referee/base/strings.h"

namespace referee::cupti {
namespace {

std::string_view KindName(WindowKind kind) {
  switch (kind) {
    case WindowKind::kCall:
      return "call";
    case WindowKind::kHarness:
      return "harness";
    case WindowKind::kSetup:
      return "setup";
  }
  return "unknown";
}

Expected<WindowKind> ParseKind(const std::string& name, std::string_view path) {
  if (name == "call") return WindowKind::kCall;
  if (name == "harness") return WindowKind::kHarness;
  if (name == "setup") return WindowKind::kSetup;
  return InvalidArgumentError(StrFormat("unknown window kind '%s'", name.c_str()),
                              {std::string(path), 0, 0});
}

Json WindowToJson(const WindowTiming& w) {
  return Json{{"id", w.id},
              {"kind", KindName(w.kind)},
              {"thread_id", w.thread_id},
              {"begin_ns", w.begin_ns},
              {"returned_ns", w.returned_ns},
              {"stream_drained_ns", w.stream_drained_ns},
              {"end_ns", w.end_ns},
              {"gpu_records", w.gpu_records},
              {"kernels", w.kernels},
              {"span_ns", w.span_ns},
              {"busy_ns", w.busy_ns},
              {"kernel_ns", w.kernel_ns},
              {"streams", w.streams}};
}

}  // namespace

std::vector<RawIteration> SplitByFlush(const Trace& trace, uint64_t flush_bytes) {
  std::vector<const WireRecord*> gpu;
  for (const WireRecord& r : trace.records) {
    if (IsGpuWork(r.kind)) gpu.push_back(&r);
  }
  std::sort(gpu.begin(), gpu.end(),
            [](const WireRecord* a, const WireRecord* b) { return a->start < b->start; });
  std::vector<RawIteration> out;
  std::vector<std::pair<uint64_t, uint64_t>> intervals;
  auto close = [&]() {
    if (out.empty()) return;
    RawIteration& it = out.back();
    it.records = intervals.size();
    if (!intervals.empty()) {
      uint64_t lo = intervals.front().first, hi = 0;
      for (const auto& [s, e] : intervals) lo = std::min(lo, s), hi = std::max(hi, e);
      it.span_ns = hi - lo;
      it.busy_ns = UnionLength(intervals);
    }
    intervals.clear();
  };
  for (const WireRecord* r : gpu) {
    if (r->kind == RecordKind::kMemset && r->bytes == flush_bytes) {
      close();
      out.emplace_back();
      continue;
    }
    if (out.empty()) continue;
    intervals.emplace_back(r->start, r->end);
    if (r->kind == RecordKind::kKernel) out.back().kernel_ns += r->end - r->start;
  }
  close();
  return out;
}

std::vector<WireRecord> TrimForAttribution(const Trace& trace) {
  std::unordered_set<uint32_t> launched;
  for (const WireRecord& r : trace.records) {
    if (IsGpuWork(r.kind)) launched.insert(r.correlation_id);
  }
  std::vector<WireRecord> out;
  for (const WireRecord& r : trace.records) {
    bool api = r.kind == RecordKind::kRuntimeApi || r.kind == RecordKind::kDriverApi;
    if (r.kind == RecordKind::kSync || (api && !launched.count(r.correlation_id))) continue;
    out.push_back(r);
  }
  return out;
}

Json AttributionToJson(const Attribution& a) {
  Json windows = Json::array();
  for (const WindowTiming& w : a.windows) windows.push_back(WindowToJson(w));
  Json findings = Json::array();
  for (const Finding& f : a.findings) {
    findings.push_back(
        {{"id", ViolationId(f.violation)}, {"window", f.window_id}, {"detail", f.detail}});
  }
  return Json{{"ok", a.ok()},
              {"records_before_first_window", a.records_before_first_window},
              {"windows", windows},
              {"findings", findings}};
}

Json RawIterationsToJson(const std::vector<RawIteration>& iterations) {
  Json out = Json::array();
  for (const RawIteration& it : iterations) {
    out.push_back({{"kernel_ns", it.kernel_ns},
                   {"busy_ns", it.busy_ns},
                   {"span_ns", it.span_ns},
                   {"records", it.records}});
  }
  return out;
}

Expected<std::vector<ExpectedWindow>> ExpectedWindowsFromJson(const Json& json,
                                                              std::string_view path) {
  if (!json.is_object() || !json.contains("windows") || !json["windows"].is_array()) {
    return InvalidArgumentError("expected an object with a 'windows' array",
                                {std::string(path), 1, 1});
  }
  std::vector<ExpectedWindow> out;
  for (const Json& w : json["windows"]) {
    if (!w.is_object() || !w.contains("id") || !w["id"].is_number_unsigned() ||
        !w.contains("kind") || !w["kind"].is_string()) {
      return InvalidArgumentError("each window needs an unsigned 'id' and a string 'kind'",
                                  {std::string(path), 1, 1});
    }
    ExpectedWindow e;
    e.id = w["id"].get<uint64_t>();
    REFEREE_ASSIGN_OR_RETURN(e.kind, ParseKind(w["kind"].get<std::string>(), path));
    if (w.contains("wall_begin_ns") && w.contains("wall_end_ns")) {
      e.wall = WallInterval{w["wall_begin_ns"].get<uint64_t>(), w["wall_end_ns"].get<uint64_t>()};
    }
    out.push_back(e);
  }
  return out;
}

}  // namespace referee::cupti
