// Each built-in check on code it must flag and on honest look-alikes it must not.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "clang_test_util.h"
#include "referee/analyzers/clang_analyzer.h"

namespace referee::analyzers {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::AnalyzeWith;
using testing::CheckRule;
using testing::Lines;
using testing::Source;

// A few LibTorch names, as the checks see them (at::Tensor, at::empty_like, ...). Line 1..12.
constexpr const char* kPrelude = R"(#include <cuda_runtime.h>
#include <map>
#include <unordered_map>
#include <vector>
#include <atomic>
namespace at { struct Tensor {
  template <class T> T* data_ptr() const; void* data_ptr() const; long numel() const;
  const Tensor& zero_() const; Tensor view(std::vector<long> s) const; Tensor clone() const;
  bool defined() const; };
Tensor empty_like(const Tensor&); }
namespace c10::cuda { struct CUDAStream { cudaStream_t stream() const; }; CUDAStream getStreamFromPool(); CUDAStream getCurrentCUDAStream(); }
__global__ void k(const float* x, float* y, int n);
)";

// Analyses kPrelude + `body` with one check; returns flagged lines relative to `body` (1-based).
std::vector<int> Flagged(const std::string& check, const std::string& body) {
  rules::RuleSet rules{{CheckRule("r", check)}};
  AnalysisOutput out = AnalyzeWith(rules, Source("t.cu", std::string(kPrelude) + body));
  EXPECT_EQ(out.file.status, rules::FileStatus::kOk) << out.file.error;
  std::vector<int> lines;
  for (int line : Lines(out)) lines.push_back(line - 12);
  return lines;
}

// ---- output-cache ----

TEST(OutputCacheCheck, FlagsStaticMapOfTensorsWhateverTheKey) {
  EXPECT_THAT(Flagged("output-cache", R"(static std::map<long, at::Tensor> by_numel;
std::unordered_map<const void*, std::vector<at::Tensor>> by_ptr;
)"),
              ElementsAre(1, 2));
}

TEST(OutputCacheCheck, FlagsLookupKeyedOnAnInputAddress) {
  EXPECT_THAT(Flagged("output-cache", R"(static std::unordered_map<unsigned long, int> done;
void f(const at::Tensor& x, float* y) {
  if (done.count((unsigned long)x.data_ptr())) return;
  done[(unsigned long)x.data_ptr()] = 1;
}
)"),
              ElementsAre(3, 4));
}

TEST(OutputCacheCheck, FlagsStaticPointerComparedWithInputAndReturnedStatic) {
  EXPECT_THAT(Flagged("output-cache", R"(static const void* last;
static at::Tensor last_out;
at::Tensor f(const at::Tensor& x) {
  if (last != x.data_ptr()) { last_out = at::empty_like(x); last = x.data_ptr(); }
  return last_out.clone();
}
)"),
              ElementsAre(4, 5));
}

TEST(OutputCacheCheck, IgnoresKernelCachesWorkspacesAndConstants) {
  EXPECT_THAT(Flagged("output-cache", R"(static std::unordered_map<const void*, cudaFuncAttributes> attrs;
static std::map<int, void*> workspace_by_size;
static float* scratch = nullptr;
static const float kTable[2] = {1.f, 2.f};
at::Tensor f(const at::Tensor& x, int dtype) {
  cudaFuncAttributes& a = attrs[(const void*)k];
  if (scratch == nullptr) cudaMalloc(&scratch, 64);
  if (workspace_by_size.find(dtype) == workspace_by_size.end()) workspace_by_size[dtype] = scratch;
  at::Tensor y = at::empty_like(x);
  k<<<1, 32>>>(x.data_ptr<float>(), y.data_ptr<float>(), kTable[0] > 0 ? 1 : 2);
  return y;
}
)"),
              IsEmpty());
}

// ---- static-state-gate ----

TEST(StaticStateGateCheck, FlagsCountersFlagsAndAtomicsThatSkipWork) {
  EXPECT_THAT(Flagged("static-state-gate", R"(struct State { int calls; } g_state;
std::atomic<int> g_hits;
void run(const float* x, float* y, int n) { k<<<1, 32>>>(x, y, n); }
void f(const float* x, float* y, int n) {
  if (g_state.calls++ < 3) run(x, y, n);
  if (g_hits.fetch_add(1) > 5) return;
  static int phase; phase = phase + 1;
  int unused = phase > 2 ? 0 : (run(x, y, n), 1);
}
)"),
              ElementsAre(5, 6, 8));
}

TEST(StaticStateGateCheck, IgnoresInitGuardsCachedPropertiesAndReadOnlyState) {
  EXPECT_THAT(Flagged("static-state-gate", R"(static int g_major = -1;
static bool g_ready = false;
static int g_default_block = 256;
void f(const float* x, float* y, int n) {
  if (g_major < 0) g_major = 9;
  if (!g_ready) { cudaFuncSetAttribute(k, cudaFuncAttributeMaxDynamicSharedMemorySize, 0); g_ready = true; }
  if (g_major >= 9) k<<<1, g_default_block>>>(x, y, n); else k<<<2, 128>>>(x, y, n);
  if (n > g_default_block * 1024) return;
}
)"),
              IsEmpty());
}

// ---- uninitialized-output ----

TEST(UninitializedOutputCheck, FlagsReturnedOrCopiedOutWithoutAWrite) {
  EXPECT_THAT(Flagged("uninitialized-output", R"(at::Tensor f(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);
  long n = y.numel();
  return y.view({n});
}
void g(float* host, int n) {
  float* d; cudaMalloc(&d, n * 4);
  cudaMemcpy(host, d, n * 4, cudaMemcpyDeviceToHost);
}
)"),
              ElementsAre(4, 8));
}

TEST(UninitializedOutputCheck, IgnoresOutputsWrittenByLaunchesHelpersOrFills) {
  EXPECT_THAT(Flagged("uninitialized-output", R"(void helper(at::Tensor& t);
at::Tensor a(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);
  float* p = y.data_ptr<float>();
  k<<<1, 32>>>(x.data_ptr<float>(), p, 1);
  return y;
}
at::Tensor b(const at::Tensor& x) { at::Tensor y = at::empty_like(x); helper(y); return y; }
at::Tensor c(const at::Tensor& x) { at::Tensor y = at::empty_like(x); y.zero_(); return y; }
void d(float* host, int n) {
  float* dev; cudaMalloc(&dev, n * 4);
  cudaMemset(dev, 0, n * 4);
  cudaMemcpy(host, dev, n * 4, cudaMemcpyDeviceToHost);
}
)"),
              IsEmpty());
}

TEST(UninitializedOutputCheck, StillFlagsTemplatesThatNeverWrite) {
  EXPECT_THAT(Flagged("uninitialized-output", R"(template <class T> at::Tensor f(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);
  k<<<1, 32>>>(x.data_ptr<T>(), nullptr, 1);
  return y;
}
)"),
              ElementsAre(4));
}

// A launch whose arguments stay unresolved (a function template, or a header the analyzer lacks
// so that clang recovers) still writes the output passed through `.data_ptr<T>()`.
TEST(UninitializedOutputCheck, IgnoresOutputsWrittenThroughUnresolvedCalls) {
  EXPECT_THAT(Flagged("uninitialized-output", R"(template <class T> at::Tensor a(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);
  k<<<1, 32>>>(x.data_ptr<T>(), y.data_ptr<T>(), 1);
  return y;
}
template <class T> at::Tensor b(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);
  T* p = y.template data_ptr<T>();
  k<<<1, 32>>>(x.data_ptr<float>(), p, 1);
  return y;
}
)"),
              IsEmpty());
}

// A declaration typed by a header the analyzer lacks is kept without its initialiser: the
// output handed to it may be written, so only a declaration that never names it keeps the finding.
TEST(UninitializedOutputCheck, IgnoresOutputsHandedToDeclarationsOfMissingTypes) {
  rules::RuleSet rules{{CheckRule("r", "uninitialized-output")}};
  AnalysisOutput out = AnalyzeWith(rules, Source("t.cu", R"(#include "absent_tiles.cuh"
#include <vector>
namespace at { struct Tensor { void* data_ptr() const; };
Tensor empty_like(const Tensor&); }
__global__ void k(tile_args args);
at::Tensor a(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);
  tile_args args{(tile_t*)x.data_ptr(), (tile_t*)y.data_ptr()};
  k<<<1, 32>>>(args);
  return y;
}
at::Tensor b(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);
  tile_args args{(tile_t*)x.data_ptr()};
  k<<<1, 32>>>(args);
  return y;
}
)"));
  EXPECT_EQ(out.file.status, rules::FileStatus::kPartial) << out.file.error;
  EXPECT_THAT(Lines(out), ElementsAre(16));
}

// `(T*)y.data_ptr()` (SOL-ExecBench's examples) and the named casts are the same pointer:
// a launch taking it writes the output; a cast pointer that no call takes is still no write.
TEST(UninitializedOutputCheck, SeesWritesThroughCastPointers) {
  EXPECT_THAT(Flagged("uninitialized-output", R"(at::Tensor a(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);
  k<<<1, 32>>>((const float*)x.data_ptr(), (float*)y.data_ptr(), 1);
  return y;
}
at::Tensor b(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);
  k<<<1, 32>>>(static_cast<float*>(x.data_ptr()), reinterpret_cast<float*>(y.data_ptr()), 1);
  return y;
}
at::Tensor c(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);
  float* p = (float*)y.data_ptr();
  k<<<1, 32>>>((const float*)x.data_ptr(), (float*)x.data_ptr(), 1);
  return y;
}
)"),
              ElementsAre(15));
}

// After an error clang drops a statement it cannot build (a library call with an undeclared
// enum argument): a use of the output there may write it. Without any error nothing is
// dropped, so a comment or a string naming the output does not count.
TEST(UninitializedOutputCheck, IgnoresOutputsUsedInStatementsClangDropped) {
  rules::RuleSet rules{{CheckRule("r", "uninitialized-output")}};
  const char* kCode = R"(namespace at { struct Tensor { template <class T> T* data_ptr() const; };
Tensor empty_like(const Tensor&); }
void lib_softmax(int mode, const float* x, float* y);
at::Tensor a(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);
  lib_softmax(LIB_SOFTMAX_ACCURATE, x.data_ptr<float>(), y.data_ptr<float>());
  return y;
}
at::Tensor b(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);
  lib_softmax(LIB_SOFTMAX_ACCURATE, x.data_ptr<float>(), nullptr);  // y is never written
  return y;
}
)";
  AnalysisOutput out = AnalyzeWith(rules, Source("t.cu", kCode));
  EXPECT_THAT(Lines(out), ElementsAre(12));
  EXPECT_THAT(Flagged("uninitialized-output", R"(at::Tensor c(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);  // y: "y" is returned as is
  return y;
}
)"),
              ElementsAre(3));
}

// ---- unjoined-side-stream ----

TEST(UnjoinedSideStreamCheck, FlagsCreatedPooledAndGlobalStreamsLeftRunning) {
  EXPECT_THAT(Flagged("unjoined-side-stream", R"(static cudaStream_t g_side;
void a(const float* x, float* y, int n) {
  cudaStream_t s; cudaStreamCreate(&s);
  k<<<1, 32, 0, s>>>(x, y, n);
  cudaStreamDestroy(s);
}
void b(const float* x, float* y, int n) {
  auto pool = c10::cuda::getStreamFromPool();
  k<<<1, 32, 0, pool.stream()>>>(x, y, n);
}
void c(float* y, int n) { cudaMemsetAsync(y, 0, n, g_side); }
)"),
              ElementsAre(4, 9, 11));
}

TEST(UnjoinedSideStreamCheck, IgnoresCallerStreamsAndJoinedSideStreams) {
  EXPECT_THAT(Flagged("unjoined-side-stream", R"(void a(const float* x, float* y, int n, cudaStream_t caller) {
  k<<<1, 32, 0, caller>>>(x, y, n);
  k<<<1, 32, 0, c10::cuda::getCurrentCUDAStream().stream()>>>(x, y, n);
}
void b(const float* x, float* y, int n, cudaStream_t caller) {
  cudaStream_t s; cudaEvent_t e;
  cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking);
  cudaEventCreateWithFlags(&e, cudaEventDisableTiming);
  cudaEventRecord(e, caller);
  cudaStreamWaitEvent(s, e, 0);
  k<<<1, 32, 0, s>>>(x, y, n);
  cudaEventRecord(e, s);
  cudaStreamWaitEvent(caller, e, 0);
}
void c(const float* x, float* y, int n) {
  cudaStream_t s; cudaStreamCreate(&s);
  k<<<1, 32, 0, s>>>(x, y, n);
  cudaStreamSynchronize(s);
}
)"),
              IsEmpty());
}

// ---- input-written-by-kernel ----

TEST(InputWrittenByKernelCheck, FlagsInputDataPassedToAKernelThatStoresThroughIt) {
  EXPECT_THAT(Flagged("input-written-by-kernel", R"(struct desc { void* data; };
__global__ void poison(float* p, int n) { float* row = p + n; row[0] = 0.f; }
__global__ void bump(float* p) { atomicAdd(p, 1.f); }
void f(const desc* in, desc* out, const at::Tensor& x, const float* raw) {
  poison<<<1, 1>>>(static_cast<float*>(in[0].data), 4);
  bump<<<1, 1>>>(x.data_ptr<float>());
  poison<<<1, 1>>>(const_cast<float*>(raw), 0);
}
)"),
              ElementsAre(5, 6, 7));
}

TEST(InputWrittenByKernelCheck, IgnoresReadOnlyKernelsAndOutputs) {
  EXPECT_THAT(Flagged("input-written-by-kernel", R"(struct desc { void* data; };
__global__ void reads(float* p, float* q, int n) { q[0] = p[n] + *p; }
__global__ void poison(float* p, int n) { p[n] = 0.f; }
void f(const desc* in, desc* out, const at::Tensor& x, at::Tensor& y, at::Tensor output) {
  reads<<<1, 1>>>(static_cast<float*>(in[0].data), static_cast<float*>(out[0].data), 0);
  poison<<<1, 1>>>(static_cast<float*>(out[0].data), 0);
  poison<<<1, 1>>>(y.data_ptr<float>(), 0);
  poison<<<1, 1>>>(output.data_ptr<float>(), 0);
  reads<<<1, 1>>>(x.data_ptr<float>(), y.data_ptr<float>(), 0);
}
)"),
              IsEmpty());
}

// ---- oversized-shared-memory-launch ----

TEST(OversizedSharedMemoryCheck, FlagsConstantSizesAboveTheDefaultLimit) {
  EXPECT_THAT(Flagged("oversized-shared-memory-launch", R"(__global__ void other(float* y);
void f(const float* x, float* y, cudaStream_t s) {
  cudaFuncSetAttribute(other, cudaFuncAttributeMaxDynamicSharedMemorySize, 100000);
  k<<<1, 32, 64 * 1024, s>>>(x, y, 1);
  k<<<1, 32, 49153>>>(x, y, 1);
}
)"),
              ElementsAre(4, 5));
}

TEST(OversizedSharedMemoryCheck, IgnoresRaisedLimitsSmallAndRuntimeSizes) {
  EXPECT_THAT(Flagged("oversized-shared-memory-launch", R"(void f(const float* x, float* y, int smem) {
  k<<<1, 32, 48 * 1024>>>(x, y, 1);
  k<<<1, 32, smem>>>(x, y, 1);
  k<<<1, 32>>>(x, y, 1);
}
void g(const float* x, float* y) {
  cudaFuncSetAttribute(k, cudaFuncAttributeMaxDynamicSharedMemorySize, 100000);
  k<<<1, 32, 100000>>>(x, y, 1);
}
)"),
              IsEmpty());
}

}  // namespace
}  // namespace referee::analyzers
