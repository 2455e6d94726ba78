// Attribution on traces recorded on an H100 (CUDA 13.0, CUPTI 130001) by
// tests/gpu/fixtures/record_traces.py and trimmed with `referee_cupti_attribute --trim-to`:
//   honest       0.5 ms spin kernel on the caller's stream, 4 calls
//   side_stream  the same kernel on an un-joined non-blocking stream
//   deferred     GEMM launched by a detached thread 0.5 ms after the call returned
//   no_work      GEMM for five calls, then a call that launches nothing
#include <gtest/gtest.h>

#include <string>

#include "referee/base/file.h"
#include "referee/cupti/report.h"

namespace referee::cupti {
namespace {

struct Recorded {
  Trace trace;
  std::vector<ExpectedWindow> windows;
};

Recorded Load(const std::string& name) {
  std::string base = std::string(REFEREE_CUPTI_TESTDATA) + "/" + name;
  Expected<Trace> trace = ReadTraceFile(base + ".bin");
  EXPECT_TRUE(trace) << trace.error().ToString();
  Expected<Json> json = ReadJsonFile(base + ".windows.json");
  EXPECT_TRUE(json) << json.error().ToString();
  auto windows = ExpectedWindowsFromJson(*json, base + ".windows.json");
  EXPECT_TRUE(windows) << windows.error().ToString();
  return {std::move(*trace), std::move(*windows)};
}

std::vector<const WindowTiming*> Calls(const Attribution& a) {
  std::vector<const WindowTiming*> out;
  for (const WindowTiming& w : a.windows) {
    if (w.kind == WindowKind::kCall) out.push_back(&w);
  }
  return out;
}

std::vector<std::string> Ids(const Attribution& a) {
  std::vector<std::string> out;
  for (const Finding& f : a.findings) out.emplace_back(ViolationId(f.violation));
  return out;
}

TEST(RecordedTraceTest, HonestSpinPassesWithHalfMillisecondSpans) {
  Recorded r = Load("honest");
  EXPECT_EQ(r.trace.cupti_version, 130001u);
  Attribution a = Attribute(r.trace, r.windows, {});
  EXPECT_TRUE(a.ok()) << a.findings.front().detail;
  auto calls = Calls(a);
  ASSERT_EQ(calls.size(), 4u);
  for (const WindowTiming* w : calls) {
    EXPECT_GE(w->span_ns, 500'000u);
    EXPECT_LT(w->span_ns, 510'000u);
    EXPECT_EQ(w->kernels, 1u);
    EXPECT_EQ(w->busy_ns, w->span_ns);
  }
}

TEST(RecordedTraceTest, UnjoinedSideStreamIsTimedInFullAndRejected) {
  Recorded r = Load("side_stream");
  Attribution a = Attribute(r.trace, r.windows, {});
  auto calls = Calls(a);
  ASSERT_EQ(calls.size(), 4u);
  ASSERT_EQ(a.findings.size(), 4u);
  for (const Finding& f : a.findings) EXPECT_EQ(f.violation, Violation::kUnjoinedStream);
  for (const WindowTiming* w : calls) {
    EXPECT_GE(w->span_ns, 500'000u);  // never microseconds (research/timing.md §2: 1.44 us)
    EXPECT_LT(w->stream_drained_ns, w->last_end_ns);
  }
}

TEST(RecordedTraceTest, DeferredThreadWorkIsOutsideEveryCallWindow) {
  Recorded r = Load("deferred");
  Attribution a = Attribute(r.trace, r.windows, {});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.findings.front().violation, Violation::kActivityOutsideWindow);
  for (const WindowTiming* w : Calls(a)) EXPECT_EQ(w->gpu_records, 0u);
}

TEST(RecordedTraceTest, CallWithoutWorkIsRejectedAndEarlierCallsAreTimed) {
  Recorded r = Load("no_work");
  Attribution a = Attribute(r.trace, r.windows, {});
  EXPECT_EQ(Ids(a), std::vector<std::string>{"no-gpu-activity"});
  auto calls = Calls(a);
  ASSERT_EQ(calls.size(), 6u);
  EXPECT_EQ(a.findings[0].window_id, calls.back()->id);
  for (size_t i = 0; i + 1 < calls.size(); ++i) EXPECT_GT(calls[i]->kernel_ns, 500'000u);
}

TEST(RecordedTraceTest, ParentWindowListMustMatchTheTrace) {
  Recorded r = Load("honest");
  r.windows.pop_back();  // the parent never opened the last window: the trace has one too many
  Attribution a = Attribute(r.trace, r.windows, {});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.findings.front().violation, Violation::kWindowSequence);
}

TEST(RecordedTraceTest, ShiftedWallIntervalFailsTheCrossCheck) {
  Recorded r = Load("honest");
  for (ExpectedWindow& w : r.windows) {
    if (w.wall) w.wall = WallInterval{w.wall->begin_ns + 5'000'000, w.wall->end_ns + 5'000'000};
  }
  Attribution a = Attribute(r.trace, r.windows, {});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.findings.front().violation, Violation::kWindowOutsideWall);
}

TEST(RecordedTraceTest, TruncatedRecordingIsRejected) {
  std::string bytes = ReadFile(std::string(REFEREE_CUPTI_TESTDATA) + "/honest.bin").value();
  bytes.resize(bytes.size() - sizeof(FrameHeader));  // drop the final frame
  EXPECT_FALSE(ParseTrace(bytes));
}

// On the device's own traces (the stand-in flushes 2x the H100's 50 MB L2 before every call)
// the cold-flush rule holds; asked for more than was flushed, every call is flagged.
TEST(RecordedTraceTest, RecordedColdCallsHaveTheirFlush) {
  Recorded r = Load("honest");
  AttributionOptions cold;
  cold.min_flush_bytes = 64u << 20;
  Attribution a = Attribute(r.trace, r.windows, cold);
  EXPECT_TRUE(a.ok()) << a.findings.front().detail;
  cold.min_flush_bytes = 1ull << 30;
  Attribution more = Attribute(r.trace, r.windows, cold);
  ASSERT_EQ(more.findings.size(), Calls(more).size());
  for (const Finding& f : more.findings) EXPECT_EQ(f.violation, Violation::kColdFlushMissing);
}

}  // namespace
}  // namespace referee::cupti
