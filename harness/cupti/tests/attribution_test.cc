#include "referee/cupti/attribution.h"

#include <gtest/gtest.h>

#include "referee/cupti/library_kernels.h"
#include "trace_builder.h"

namespace referee::cupti {
namespace {

using testing::kHarnessTid;
using testing::TraceBuilder;

std::vector<ExpectedWindow> Calls(std::vector<std::pair<uint64_t, WindowKind>> ids) {
  std::vector<ExpectedWindow> out;
  for (auto [id, kind] : ids) out.push_back({id, kind, std::nullopt});
  return out;
}

std::vector<std::string> Ids(const Attribution& a) {
  std::vector<std::string> out;
  for (const Finding& f : a.findings) out.emplace_back(ViolationId(f.violation));
  return out;
}

TEST(AttributionTest, HonestCallGetsSpanBusyAndKernelTime) {
  TraceBuilder b;
  b.Kernel("init", 100, 200)  // before the first window: harness start-up
      .Window(1, WindowKind::kCall, 1000, 9000, 8000)
      .Kernel("a", 2000, 3000)
      .Kernel("b", 3500, 4500);
  Attribution a = Attribute(b.Build(), Calls({{1, WindowKind::kCall}}), {});
  ASSERT_TRUE(a.ok()) << a.findings.front().detail;
  ASSERT_EQ(a.windows.size(), 1u);
  EXPECT_EQ(a.windows[0].span_ns, 2500u);
  EXPECT_EQ(a.windows[0].busy_ns, 2000u);
  EXPECT_EQ(a.windows[0].kernel_ns, 2000u);
  EXPECT_EQ(a.windows[0].kernels, 2u);
  EXPECT_EQ(a.records_before_first_window, 1u);
}

TEST(AttributionTest, SideStreamWorkCountsAndIsFlaggedUnjoined) {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 600000, /*drained=*/5000)
      .Kernel("tiny", 2000, 3000)
      .Kernel("spin", 2100, 502100, /*stream=*/13);
  Attribution a = Attribute(b.Build(), Calls({{1, WindowKind::kCall}}), {});
  EXPECT_EQ(Ids(a), std::vector<std::string>{"unjoined-stream"});
  EXPECT_EQ(a.windows[0].span_ns, 500100u);  // the side stream's 0.5 ms is timed, not hidden
  EXPECT_EQ(a.windows[0].streams, (std::vector<uint32_t>{7, 13}));
}

TEST(AttributionTest, JoinedSideStreamIsNotFlagged) {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 600000, /*drained=*/503000)
      .Kernel("spin", 2100, 502100, /*stream=*/13)
      .Kernel("after_join", 502200, 502900);
  Attribution a = Attribute(b.Build(), Calls({{1, WindowKind::kCall}}), {});
  EXPECT_TRUE(a.ok());
}

TEST(AttributionTest, WorkBetweenWindowsIsOutsideEveryWindow) {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 5000)
      .Kernel("k", 2000, 3000)
      .Kernel("deferred", 6000, 7000, 7, /*tid=*/555)
      .Window(2, WindowKind::kCall, 10000, 15000)
      .Kernel("k", 11000, 12000);
  Attribution a = Attribute(b.Build(), Calls({{1, WindowKind::kCall}, {2, WindowKind::kCall}}), {});
  ASSERT_EQ(Ids(a), std::vector<std::string>{"activity-outside-window"});
  EXPECT_EQ(a.findings[0].window_id, 1u);
}

TEST(AttributionTest, WorkEndingAfterItsWindowClosedIsRejected) {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 5000).Kernel("late", 4000, 45000);
  Attribution a = Attribute(b.Build(), Calls({{1, WindowKind::kCall}}), {});
  EXPECT_EQ(Ids(a), (std::vector<std::string>{"activity-outside-window", "no-gpu-activity"}));
}

// GPU timestamps are normalised to the host clock with microseconds of skew (2.3 us seen on an
// H200): a kernel launched in its window on the caller's stream may read as ending after the
// host saw the stream drain, or after the window closed. Not a finding; its time still counts.
TEST(AttributionTest, TimestampSkewOnTheCallersStreamIsNotAFinding) {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 600000, /*drained=*/500000)
      .Kernel("k", 2000, 502300);  // 2.3 us after the drain
  Trace t = b.Build();
  t.records[1].stream_id = testing::kHarnessStream;  // the end marker names the caller's stream
  Attribution a = Attribute(t, Calls({{1, WindowKind::kCall}}), {});
  EXPECT_TRUE(a.ok()) << a.findings.front().detail;
  EXPECT_EQ(a.windows[0].caller_stream_id, testing::kHarnessStream);

  TraceBuilder past_close;
  past_close.Window(1, WindowKind::kCall, 1000, 500000).Kernel("k", 2000, 503000);
  EXPECT_TRUE(Attribute(past_close.Build(), Calls({{1, WindowKind::kCall}}), {}).ok());
}

// The look-alike that must still be flagged: another stream, far past the caller's drain, even
// though the end marker names the caller's stream.
TEST(AttributionTest, SideStreamPastTheDrainIsFlaggedWhenTheCallersStreamIsKnown) {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 600000, /*drained=*/5000)
      .Kernel("tiny", 2000, 3000)
      .Kernel("spin", 2100, 502100, /*stream=*/13);
  Trace t = b.Build();
  t.records[1].stream_id = testing::kHarnessStream;
  Attribution a = Attribute(t, Calls({{1, WindowKind::kCall}}), {});
  ASSERT_EQ(Ids(a), std::vector<std::string>{"unjoined-stream"});
  EXPECT_NE(a.findings[0].detail.find("stream 13"), std::string::npos) << a.findings[0].detail;
}

TEST(AttributionTest, WorkLaunchedAfterItsWindowClosedIsOutsideWhateverTheSkew) {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 5000)
      .Kernel("k", 2000, 3000)
      .Kernel("deferred", 5500, 6000, 7, /*tid=*/555, /*launch=*/5100);
  Attribution a = Attribute(b.Build(), Calls({{1, WindowKind::kCall}}), {});
  EXPECT_EQ(Ids(a), std::vector<std::string>{"activity-outside-window"});
}

TEST(AttributionTest, ForeignLaunchInHarnessWindowIsBlamedOnPreviousCall) {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 5000)
      .Kernel("k", 2000, 3000)
      .Window(2, WindowKind::kHarness, 6000, 9000)
      .Kernel("check", 6500, 7000)                                       // the harness's own
      .Kernel("deferred", 7100, 7500, 7, /*tid=*/555, /*launch=*/7050);  // another thread
  Attribution a =
      Attribute(b.Build(), Calls({{1, WindowKind::kCall}, {2, WindowKind::kHarness}}), {});
  ASSERT_EQ(Ids(a), std::vector<std::string>{"activity-outside-window"});
  EXPECT_EQ(a.findings[0].window_id, 1u);
}

TEST(AttributionTest, HarnessLaunchBeforeItsWindowIsForeign) {
  TraceBuilder b;
  b.Window(2, WindowKind::kHarness, 6000, 9000)
      .Kernel("queued_earlier", 6500, 7000, 7, kHarnessTid, /*launch=*/5000);
  Attribution a = Attribute(b.Build(), Calls({{2, WindowKind::kHarness}}), {});
  EXPECT_EQ(Ids(a), std::vector<std::string>{"activity-outside-window"});
}

TEST(AttributionTest, CallWithoutGpuWorkIsRejected) {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 5000).Window(2, WindowKind::kSetup, 6000, 7000);
  Attribution a =
      Attribute(b.Build(), Calls({{1, WindowKind::kCall}, {2, WindowKind::kSetup}}), {});
  EXPECT_EQ(Ids(a), std::vector<std::string>{"no-gpu-activity"});
}

TEST(AttributionTest, WindowsMustMatchWhatTheParentOpened) {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 5000)
      .Kernel("k", 2000, 3000)
      .Window(9, WindowKind::kCall, 6000, 7000)
      .Kernel("k", 6100, 6200);  // forged
  Attribution a = Attribute(b.Build(), Calls({{1, WindowKind::kCall}}), {});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(Ids(a)[0], "window-sequence");
}

TEST(AttributionTest, OverlappingWindowsAreASequenceError) {
  Trace t = TraceBuilder().Window(1, WindowKind::kCall, 1000, 5000).Build();
  t.records.push_back({RecordKind::kWindowBegin, 1, 0, 0, kHarnessTid, 2000, 2000, 0, 2, {}});
  Attribution a = Attribute(t, Calls({{1, WindowKind::kCall}}), {});
  EXPECT_EQ(Ids(a)[0], "window-sequence");
}

TEST(AttributionTest, WindowClosedByAnotherThreadIsASequenceError) {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 5000, 0, kHarnessTid).Kernel("k", 2000, 3000);
  Trace t = b.Build();
  t.records[1].thread_id = 999;
  Attribution a = Attribute(t, Calls({{1, WindowKind::kCall}}), {});
  EXPECT_EQ(Ids(a)[0], "window-sequence");
}

TEST(AttributionTest, CrossChecksSpanAgainstParentWallInterval) {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1'000'000, 3'000'000).Kernel("k", 1'100'000, 2'900'000);
  AttributionOptions options;
  options.clock_tolerance_ns = 10'000;
  std::vector<ExpectedWindow> ok{{1, WindowKind::kCall, WallInterval{900'000, 3'100'000}}};
  EXPECT_TRUE(Attribute(b.Build(), ok, options).ok());
  // The parent saw a 1 ms round trip but the trace claims 1.8 ms of GPU work in it.
  std::vector<ExpectedWindow> short_wall{
      {1, WindowKind::kCall, WallInterval{1'500'000, 2'500'000}}};
  Attribution a = Attribute(b.Build(), short_wall, options);
  EXPECT_EQ(Ids(a), (std::vector<std::string>{"window-outside-wall", "span-exceeds-wall"}));
}

TEST(AttributionTest, UnionLengthMergesOverlapsAndKeepsGaps) {
  EXPECT_EQ(UnionLength({}), 0u);
  EXPECT_EQ(UnionLength({{10, 20}, {15, 30}, {40, 50}, {50, 55}}), 35u);
  EXPECT_EQ(UnionLength({{0, 100}, {10, 20}}), 100u);
}

// Cold mode: the worker's 2x L2 flush must sit in the harness window before every call. A
// worker whose flush was skipped (its Python patched by the candidate) or shrunk times every
// call with a warm L2.
TEST(AttributionTest, ColdModeNeedsTheFlushBeforeEachCall) {
  AttributionOptions cold;
  cold.min_flush_bytes = 64u << 20;
  auto trace = [](uint64_t flush_bytes) {
    TraceBuilder b;
    b.Window(100, WindowKind::kHarness, 1000, 50000);
    if (flush_bytes) b.Memset(flush_bytes, 2000, 40000);
    b.Window(1, WindowKind::kCall, 60000, 90000).Kernel("k", 61000, 80000);
    return b.Build();
  };
  std::vector<ExpectedWindow> asked = {{100, WindowKind::kHarness, std::nullopt},
                                       {1, WindowKind::kCall, std::nullopt}};
  EXPECT_TRUE(Attribute(trace(100u << 20), asked, cold).ok());
  Attribution skipped = Attribute(trace(0), asked, cold);
  EXPECT_EQ(Ids(skipped), std::vector<std::string>{"cold-flush-missing"});
  Attribution shrunk = Attribute(trace(1u << 20), asked, cold);
  ASSERT_EQ(Ids(shrunk), std::vector<std::string>{"cold-flush-missing"});
  EXPECT_NE(shrunk.findings[0].detail.find("1048576 bytes"), std::string::npos);
  EXPECT_TRUE(Attribute(trace(0), asked, {}).ok());  // hot mode: no flush expected

  // A call with no harness window before it (the flush window dropped altogether).
  TraceBuilder bare;
  bare.Window(1, WindowKind::kCall, 60000, 90000).Kernel("k", 61000, 80000);
  EXPECT_EQ(Ids(Attribute(bare.Build(), Calls({{1, WindowKind::kCall}}), cold)),
            std::vector<std::string>{"cold-flush-missing"});
}

// The flush must be the harness's own: a memset from another thread in the harness window is
// foreign work, not a flush.
TEST(AttributionTest, AForeignMemsetIsNoFlush) {
  AttributionOptions cold;
  cold.min_flush_bytes = 64u << 20;
  TraceBuilder b;
  b.Window(100, WindowKind::kHarness, 1000, 50000)
      .Memset(100u << 20, 2000, 40000, /*tid=*/555)
      .Window(1, WindowKind::kCall, 60000, 90000)
      .Kernel("k", 61000, 80000);
  Attribution a = Attribute(b.Build(),
                            {{100, WindowKind::kHarness, std::nullopt},
                             {1, WindowKind::kCall, std::nullopt}},
                            cold);
  EXPECT_EQ(Ids(a), (std::vector<std::string>{"activity-outside-window", "cold-flush-missing"}));
}

AttributionOptions OwnKernels(std::vector<std::string> allow = {}) {
  AttributionOptions o;
  o.require_own_kernels = true;
  o.allowed_library_kernels = std::move(allow);
  return o;
}

// A "kernel" that calls torch.matmul: cuBLAS does the work, the candidate's own kernel is a
// 5% epilogue.
Trace LibraryFallbackCall() {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 20000, 19000)
      .Kernel("nvjet_tst_128x192_64x4_2x1_v_bz_coopB_TNN", 2000, 11500)
      .Kernel("_ZN2at6native29vectorized_elementwise_kernelILi4ENS0_11FillFunctorIfEE", 11600,
              12000)
      .Kernel("_Z13bias_epiloguePfPKfi", 12100, 12600);
  return b.Build();
}

TEST(AttributionTest, LibraryKernelsDoingTheWorkAreFlaggedWhenTheTaskRequiresOwnKernels) {
  Attribution a = Attribute(LibraryFallbackCall(), Calls({{1, WindowKind::kCall}}), OwnKernels());
  ASSERT_EQ(Ids(a), std::vector<std::string>{"library-kernels"});
  EXPECT_NE(a.findings[0].detail.find("cuBLAS 'nvjet_tst_128x192"), std::string::npos)
      << a.findings[0].detail;
  EXPECT_EQ(a.windows[0].library_kernel_ns, 9900u);
  // Not required: the same trace is fine; allowed by the task: fine too.
  EXPECT_TRUE(Attribute(LibraryFallbackCall(), Calls({{1, WindowKind::kCall}}), {}).ok());
  EXPECT_TRUE(Attribute(LibraryFallbackCall(), Calls({{1, WindowKind::kCall}}),
                        OwnKernels({"^nvjet_"}))
                  .ok());
}

TEST(AttributionTest, OwnKernelsWithALibraryFillAreNotFlagged) {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 20000, 19000)
      .Kernel("_ZN2at6native29vectorized_elementwise_kernelILi4ENS0_11FillFunctorIfEE", 2000, 2400)
      .Kernel("softmax_kernel", 2500, 9000)  // Triton: the @jit function's name
      .Kernel("_ZN7cutlass6KernelINS_4gemm6kernel4GemmE", 9100, 15000);  // CUTLASS: compiled in
  Attribution a = Attribute(b.Build(), Calls({{1, WindowKind::kCall}}), OwnKernels());
  EXPECT_TRUE(a.ok()) << a.findings.front().detail;
  EXPECT_EQ(a.windows[0].library_kernel_ns, 400u);
}

TEST(AttributionTest, LibraryKernelNamesByFamily) {
  EXPECT_EQ(LibraryOf("sm90_xmma_gemm_f32f32_tf32f32_f32_tn_n_tilesize128x128x32"), "cuBLAS");
  EXPECT_EQ(LibraryOf("ampere_sgemm_128x64_tn"), "cuBLAS");
  EXPECT_EQ(LibraryOf("void at::native::(anonymous namespace)::cunn_SoftMaxForward<4>"), "ATen");
  EXPECT_EQ(LibraryOf("triton_per_fused__softmax_0"), "TorchInductor");
  EXPECT_EQ(LibraryOf("_ZN5cudnn3cnn5infer"), "cuDNN");
  EXPECT_EQ(LibraryOf("_ZN14pytorch_flash15flash_fwd_kernel"), "PyTorch attention");
  EXPECT_EQ(LibraryOf("_Z14softmax_kernelPKfPfii"), "");
  EXPECT_EQ(LibraryOf("_ZN3cub18DeviceReduceKernelI"), "");  // compiled into the candidate
  EXPECT_EQ(LibraryOf("_attn_fwd"), "");
}

}  // namespace
}  // namespace referee::cupti
