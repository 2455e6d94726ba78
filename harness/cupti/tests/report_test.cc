#include "referee/cupti/report.h"

#include <gtest/gtest.h>

#include "trace_builder.h"

namespace referee::cupti {
namespace {

using testing::TraceBuilder;

TEST(ReportTest, SplitByFlushSumsKernelsPerIteration) {
  TraceBuilder b;
  b.Kernel("warmup", 10, 20)  // before the first flush: dropped
      .Memset(4096, 100, 150)
      .Kernel("k", 200, 300)
      .Kernel("k", 310, 330)
      .Memset(64, 340, 345)  // a candidate's own memset: counted, not a flush
      .Memset(4096, 400, 450)
      .Kernel("k", 500, 610);
  std::vector<RawIteration> it = SplitByFlush(b.Build(), 4096);
  ASSERT_EQ(it.size(), 2u);
  EXPECT_EQ(it[0].kernel_ns, 120u);
  EXPECT_EQ(it[0].span_ns, 145u);
  EXPECT_EQ(it[0].busy_ns, 125u);
  EXPECT_EQ(it[0].records, 3u);
  EXPECT_EQ(it[1].kernel_ns, 110u);
}

TEST(ReportTest, ReadsExpectedWindows) {
  Json j = ParseJson(R"({"windows": [{"id": 1, "kind": "setup"},
      {"id": 2, "kind": "call", "wall_begin_ns": 5, "wall_end_ns": 9}]})",
                     "w.json")
               .value();
  auto w = ExpectedWindowsFromJson(j, "w.json");
  ASSERT_TRUE(w) << w.error().ToString();
  ASSERT_EQ(w->size(), 2u);
  EXPECT_EQ((*w)[0].kind, WindowKind::kSetup);
  EXPECT_FALSE((*w)[0].wall);
  EXPECT_EQ((*w)[1].wall->end_ns, 9u);
}

TEST(ReportTest, RejectsUnknownWindowKind) {
  Json j = ParseJson(R"({"windows": [{"id": 1, "kind": "nap"}]})", "w.json").value();
  auto w = ExpectedWindowsFromJson(j, "w.json");
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().ToString(), "w.json: error: unknown window kind 'nap'");
}

TEST(ReportTest, AttributionJsonNamesFindings) {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 5000);
  Json j = AttributionToJson(Attribute(b.Build(), {{1, WindowKind::kCall, std::nullopt}}, {}));
  EXPECT_FALSE(j["ok"].get<bool>());
  EXPECT_EQ(j["findings"][0]["id"], "no-gpu-activity");
  EXPECT_EQ(j["windows"][0]["kind"], "call");
}

}  // namespace
}  // namespace referee::cupti

namespace referee::cupti {
namespace {

TEST(ReportTest, TrimKeepsMarkersGpuWorkAndTheirLaunches) {
  testing::TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 5000).Kernel("k", 2000, 3000);
  Trace t = b.Build();
  t.records.push_back(
      {RecordKind::kRuntimeApi, 0, 0, 999, 100, 1500, 1600, 0, 3, {}});  // unrelated
  t.records.push_back({RecordKind::kSync, 0, 7, 998, 0, 3000, 4000, 0, 1, {}});
  std::vector<WireRecord> kept = TrimForAttribution(t);
  EXPECT_EQ(kept.size(), 4u);  // begin, end, launch, kernel
  Trace trimmed;
  trimmed.records = kept;
  std::vector<ExpectedWindow> w{{1, WindowKind::kCall, std::nullopt}};
  EXPECT_EQ(Attribute(trimmed, w, {}).windows[0].span_ns, Attribute(t, w, {}).windows[0].span_ns);
}

}  // namespace
}  // namespace referee::cupti
