#include "referee/analyzers/clang_analyzer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "clang_test_util.h"

namespace referee::analyzers {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::AnalyzeWith;
using testing::Lines;
using testing::MatcherRule;
using testing::Source;

namespace fs = std::filesystem;

constexpr const char* kKernel = R"(#include <cuda_runtime.h>
#include <cuda_fp16.h>
__global__ void scale(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = expf(x[i]) * 2.0f;
}
void launch(const float* x, float* y, int n, cudaStream_t stream) {
  scale<<<(n + 255) / 256, 256, 0, stream>>>(x, y, n);
}
)";

fs::path TempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() /
                 ("referee_clang_test_" + name + "_" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

TEST(ClangAnalyzer, ParsesCudaWithoutToolkitAndReportsLaunchOnce) {
  rules::RuleSet rules{{MatcherRule("launch", "cudaKernelCallExpr()")}};
  AnalysisOutput out = AnalyzeWith(rules, Source("k.cu", kKernel));
  EXPECT_EQ(out.file.status, rules::FileStatus::kOk) << out.file.error;
  ASSERT_THAT(Lines(out), ElementsAre(8));  // seen by both passes, reported once
  const rules::Finding& f = out.findings[0];
  EXPECT_EQ(f.column, 3);
  EXPECT_EQ(f.path, "k.cu");
  EXPECT_EQ(f.snippet, "  scale<<<(n + 255) / 256, 256, 0, stream>>>(x, y, n);");
  EXPECT_EQ(f.message, "message of launch");
  EXPECT_EQ(f.category, rules::Category::kTiming);
}

TEST(ClangAnalyzer, ParsesTensorCoreAndCooperativeGroupKernelsWithoutToolkit) {
  const char* code = R"(#include <mma.h>
#include <cooperative_groups.h>
#include <cuda_bf16.h>
namespace cg = cooperative_groups;
using namespace nvcuda;
__global__ void tc(const half* a, const half* b, float* c, int k_total) {
  wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> fa;
  wmma::fragment<wmma::matrix_b, 16, 16, 16, half, wmma::col_major> fb;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> fc;
  wmma::fill_fragment(fc, 0.0f);
  for (int k = 0; k < k_total; k += 16) {
    wmma::load_matrix_sync(fa, a + k, k_total);
    wmma::load_matrix_sync(fb, b + k, k_total);
    wmma::mma_sync(fc, fa, fb, fc);
  }
  wmma::store_matrix_sync(c, fc, 16, wmma::mem_row_major);
  cg::thread_block block = cg::this_thread_block();
  auto warp = cg::tiled_partition<32>(block);
  float v = warp.shfl_down(c[0], 1) + __bfloat162float(__float2bfloat16(1.f));
  block.sync();
  if (warp.thread_rank() == 0) atomicAdd(c, v);
}
)";
  rules::RuleSet rules{{MatcherRule("kernel", "functionDecl(hasAttr(\"attr::CUDAGlobal\"))")}};
  AnalysisOutput out = AnalyzeWith(rules, Source("tc.cu", code));
  EXPECT_EQ(out.file.status, rules::FileStatus::kOk) << out.file.error;
  EXPECT_THAT(out.file.notes, ::testing::IsEmpty());
  EXPECT_THAT(Lines(out), ElementsAre(6));
}

TEST(ClangAnalyzer, MergesHostOnlyAndDeviceOnlyCode) {
  const char* code = R"(void host_marker();
__attribute__((device)) void device_marker();
__attribute__((host, device)) void both_marker();
__attribute__((host, device)) void f() {
#ifdef __CUDA_ARCH__
  device_marker();
#else
  host_marker();
#endif
  both_marker();
}
)";
  rules::RuleSet rules{
      {MatcherRule("marker", "callExpr(callee(functionDecl(matchesName(\"marker$\"))))")}};
  AnalysisOutput out = AnalyzeWith(rules, Source("m.cu", code));
  EXPECT_EQ(out.file.status, rules::FileStatus::kOk) << out.file.error;
  EXPECT_THAT(Lines(out), ElementsAre(6, 8, 10));
}

TEST(ClangAnalyzer, MissingIncludeGivesNoteAndPartialResults) {
  const char* code = R"(#include <torch/this_header_does_not_exist.h>
void f() {}
)";
  rules::RuleSet rules{{MatcherRule("fn", "functionDecl(hasName(\"f\"))")}};
  AnalysisOutput out = AnalyzeWith(rules, Source("p.cpp", code, rules::Language::kCpp));
  EXPECT_EQ(out.file.status, rules::FileStatus::kPartial);
  ASSERT_EQ(out.file.notes.size(), 1u);
  EXPECT_THAT(out.file.notes[0], HasSubstr("p.cpp:1:10: 'torch/this_header_does_not_exist.h'"));
  EXPECT_THAT(out.file.notes[0], HasSubstr("partial"));
}

TEST(ClangAnalyzer, UnparsableFileIsAnErrorWithPosition) {
  rules::RuleSet rules{{MatcherRule("fn", "functionDecl()")}};
  AnalysisOutput out =
      AnalyzeWith(rules, Source("bad.cpp", "int ok();\nint f( {\n", rules::Language::kCpp));
  EXPECT_EQ(out.file.status, rules::FileStatus::kError);
  EXPECT_THAT(out.file.error, HasSubstr("bad.cpp:2:"));
  EXPECT_THAT(out.file.error, HasSubstr(": error: "));
  EXPECT_EQ(out.file.error.find('\n'), std::string::npos);
}

TEST(ClangAnalyzer, NeverReportsInHeaders) {
  fs::path dir = TempDir("headers");
  std::ofstream(dir / "helper.h") << "inline void flagged_call() {}\n"
                                     "inline void in_header() { flagged_call(); }\n";
  std::string code = "#include \"helper.h\"\nvoid main_file() { flagged_call(); }\n";
  rules::RuleSet rules{
      {MatcherRule("call", "callExpr(callee(functionDecl(hasName(\"flagged_call\"))))")}};
  AnalysisOutput out =
      AnalyzeWith(rules, Source((dir / "main.cpp").string(), code, rules::Language::kCpp));
  EXPECT_EQ(out.file.status, rules::FileStatus::kOk) << out.file.error;
  EXPECT_THAT(Lines(out), ElementsAre(2));
  fs::remove_all(dir);
}

TEST(ClangAnalyzer, AnalyzesInMemoryContentUnderAVirtualPath) {
  rules::RuleSet rules{{MatcherRule("launch", "cudaKernelCallExpr()")}};
  SourceFile file = Source("/nonexistent/dir/model.py#cuda_source_0.cu", kKernel);
  file.display_path = "model.py:12";
  AnalysisOutput out = AnalyzeWith(rules, file);
  EXPECT_EQ(out.file.status, rules::FileStatus::kOk) << out.file.error;
  ASSERT_THAT(Lines(out), ElementsAre(8));
  EXPECT_EQ(out.findings[0].path, "model.py:12");
  EXPECT_EQ(out.file.path, "model.py:12");
}

TEST(ClangAnalyzer, MatcherErrorsPointIntoTheRuleFile) {
  std::unique_ptr<Analyzer> analyzer = MakeClangAnalyzer({});
  rules::Rule rule = MatcherRule("bad-name", "functionDecl(hasNam(\"x\"))");
  rule.pattern_pos = {5, 10};
  std::vector<Status> errors = analyzer->Prepare(rules::RuleSet{{rule}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].ToString(),
            "rules/cpp/timing/bad-name.yaml:5:23: error: Matcher not found: hasNam [bad-name]");
}

TEST(ClangAnalyzer, MatcherErrorOnALaterLineKeepsTheLine) {
  std::unique_ptr<Analyzer> analyzer = MakeClangAnalyzer({});
  rules::Rule rule = MatcherRule("bad-line2", "callExpr(\n  calee(functionDecl()))");
  rule.pattern_pos = {7, 3};  // a block scalar: every line starts at column 3
  std::vector<Status> errors = analyzer->Prepare(rules::RuleSet{{rule}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].ToString(),
            "rules/cpp/timing/bad-line2.yaml:8:5: error: Matcher not found: calee [bad-line2]");
}

TEST(ClangAnalyzer, NarrowingMatcherAtTopLevelIsAnError) {
  std::unique_ptr<Analyzer> analyzer = MakeClangAnalyzer({});
  std::vector<Status> errors =
      analyzer->Prepare(rules::RuleSet{{MatcherRule("narrow", "hasName(\"x\")")}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].ToString(), HasSubstr("not a node matcher"));
  EXPECT_THAT(errors[0].ToString(), HasSubstr("[narrow]"));
}

TEST(ClangAnalyzer, UnknownCheckIsAnError) {
  std::unique_ptr<Analyzer> analyzer = MakeClangAnalyzer({});
  std::vector<Status> errors =
      analyzer->Prepare(rules::RuleSet{{testing::CheckRule("c", "no-such-check")}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].ToString(), HasSubstr("unknown check 'no-such-check' [c]"));
}

TEST(ClangAnalyzer, LetSubMatchersAndBindNames) {
  rules::Rule rule = MatcherRule(
      "sync-in-fn", "functionDecl(hasDescendant(callExpr(callee(cudaSync)).bind(\"call\")))",
      "call");
  rule.let = {{"cudaSync", "functionDecl(hasName(\"cudaDeviceSynchronize\"))"}};
  const char* code = R"(#include <cuda_runtime.h>
void f() {
  int x = 0;
  cudaDeviceSynchronize();
}
)";
  AnalysisOutput out = AnalyzeWith(rules::RuleSet{{rule}}, Source("s.cu", code));
  EXPECT_THAT(Lines(out), ElementsAre(4));
}

TEST(ClangAnalyzer, AllowOptionSuppressesListedCallees) {
  rules::Rule rule =
      MatcherRule("blas", "callExpr(callee(functionDecl(matchesName(\"^::cublas\"))))");
  rule.options["allow"] = "cublasSgemm_v2, cublasCreate_v2";
  const char* code = R"(#include <cublas_v2.h>
void f(cublasHandle_t h, const float* a, float* c, float alpha) {
  cublasCreate(&h);
  cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, 1, 1, 1, &alpha, a, 1, a, 1, &alpha, c, 1);
  cublasSetMathMode(h, CUBLAS_DEFAULT_MATH);
}
)";
  AnalysisOutput out =
      AnalyzeWith(rules::RuleSet{{rule}}, Source("b.cpp", code, rules::Language::kCpp));
  EXPECT_EQ(out.file.status, rules::FileStatus::kOk) << out.file.error;
  EXPECT_THAT(Lines(out), ElementsAre(5));
}

TEST(ClangAnalyzer, UsesFlagsFromCompileCommands) {
  fs::path dir = TempDir("compdb");
  fs::create_directories(dir / "inc");
  std::ofstream(dir / "inc" / "only_here.h") << "void from_db_header();\n";
  std::string file = (dir / "a.cpp").string();
  std::ofstream(dir / "compile_commands.json")
      << "[{\"directory\": \"" << dir.string() << "\", \"file\": \"" << file
      << "\", \"command\": \"/usr/local/cuda/bin/nvcc -Iinc -DREFEREE_DB_FLAG=1 -c a.cpp\"}]";
  std::string code =
      "#include \"only_here.h\"\n#ifdef REFEREE_DB_FLAG\nvoid g() { from_db_header(); }\n#endif\n";
  rules::RuleSet rules{
      {MatcherRule("call", "callExpr(callee(functionDecl(hasName(\"from_db_header\"))))")}};
  AnalyzerOptions options;
  options.compile_commands_dir = dir.string();
  AnalysisOutput with_db =
      AnalyzeWith(rules, Source(file, code, rules::Language::kCpp), options);
  EXPECT_EQ(with_db.file.status, rules::FileStatus::kOk) << with_db.file.error;
  EXPECT_THAT(Lines(with_db), ElementsAre(3));
  AnalysisOutput without = AnalyzeWith(rules, Source(file, code, rules::Language::kCpp));
  EXPECT_EQ(without.file.status, rules::FileStatus::kPartial);
  EXPECT_TRUE(Lines(without).empty());
  fs::remove_all(dir);
}

TEST(ClangAnalyzer, ToolkitModeParsesBothPasses) {
  if (!fs::exists("/usr/local/cuda/include/cuda_runtime.h")) {
    GTEST_SKIP() << "no CUDA toolkit at /usr/local/cuda";
  }
  AnalyzerOptions options;
  options.cuda_path = "/usr/local/cuda";
  rules::RuleSet rules{{MatcherRule("launch", "cudaKernelCallExpr()")}};
  AnalysisOutput out = AnalyzeWith(rules, Source("k.cu", kKernel), options);
  EXPECT_EQ(out.file.status, rules::FileStatus::kOk) << out.file.error;
  EXPECT_THAT(Lines(out), ElementsAre(8));
}

TEST(ClangAnalyzer, ParsesPyTorchCudaExtensionsWithLibTorchHeadersAndNoToolkit) {
  if (!fs::exists("/usr/include/torch/extension.h")) {
    GTEST_SKIP() << "LibTorch headers are not installed";
  }
  const char* code = R"(#include <torch/extension.h>
#include <cuda_fp16.h>
__global__ void to_float(const at::Half* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = static_cast<float>(x[i]);
}
torch::Tensor forward(torch::Tensor x, torch::Tensor w) {
  TORCH_CHECK(x.is_contiguous(), "x must be contiguous");
  auto y = torch::empty({x.numel()}, x.options().dtype(torch::kFloat));
  to_float<<<(x.numel() + 255) / 256, 256>>>(x.data_ptr<at::Half>(), y.data_ptr<float>(), x.numel());
  return at::matmul(y, w);
}
)";
  rules::RuleSet rules{{MatcherRule(
      "aten", "callExpr(callee(functionDecl(hasName(\"::at::matmul\"))))")}};
  AnalysisOutput out = AnalyzeWith(rules, Source("ext.cu", code));
  EXPECT_EQ(out.file.status, rules::FileStatus::kOk) << out.file.error;
  EXPECT_THAT(out.file.notes, ::testing::IsEmpty());
  EXPECT_THAT(Lines(out), ElementsAre(11));
}

// <ATen/cuda/CUDAContext.h> and <c10/cuda/CUDAStream.h>, the usual headers of a torch extension
// that binds its launches to PyTorch's stream, need c10/cuda's generated macros header (absent
// from a CPU-only libtorch) and cuSPARSE/cuSOLVER types: without them the analysis stopped there.
TEST(ClangAnalyzer, ParsesTorchExtensionsIncludingATenCudaHeadersInBothModes) {
  if (!fs::exists("/usr/include/ATen/cuda/CUDAContext.h")) {
    GTEST_SKIP() << "LibTorch's ATen/cuda headers are not installed";
  }
  const char* code = R"(#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/Exceptions.h>
#include <c10/cuda/CUDAStream.h>
#include <torch/extension.h>
__global__ void twice(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = 2 * x[i];
}
void run(torch::Tensor x, torch::Tensor y) {
  cudaStream_t stream = at::cuda::getCurrentCUDAStream();
  twice<<<(x.numel() + 255) / 256, 256, 0, stream>>>(x.data_ptr<float>(), y.data_ptr<float>(), x.numel());
}
)";
  rules::RuleSet rules{{MatcherRule("launch", "cudaKernelCallExpr()")}};
  std::vector<AnalyzerOptions> modes(1);
  if (fs::exists("/usr/local/cuda/include/cuda_runtime.h")) {
    modes.emplace_back().cuda_path = "/usr/local/cuda";
  }
  for (const AnalyzerOptions& options : modes) {
    AnalysisOutput out = AnalyzeWith(rules, Source("ext.cu", code), options);
    EXPECT_EQ(out.file.status, rules::FileStatus::kOk)
        << "cuda_path '" << options.cuda_path << "': " << out.file.error
        << ::testing::PrintToString(out.file.notes);
    EXPECT_THAT(Lines(out), ElementsAre(11)) << "cuda_path '" << options.cuda_path << "'";
  }
}

TEST(ClangAnalyzer, HeaderParseErrorsMakeTheAnalysisPartial) {
  rules::RuleSet rules{{MatcherRule("fn", "functionDecl(hasName(\"g\"))")}};
  AnalysisOutput out = AnalyzeWith(
      rules, Source("k.cuh", "void g();\nvoid f(needs_includer_type t);\n"));
  EXPECT_EQ(out.file.status, rules::FileStatus::kPartial);
  EXPECT_THAT(Lines(out), ElementsAre(1));
  ASSERT_FALSE(out.file.notes.empty());
  EXPECT_THAT(out.file.notes.back(), HasSubstr("k.cuh:2:8: error: unknown type name"));
}

TEST(ClangAnalyzer, AnalyzeIsSafeToCallConcurrently) {
  rules::RuleSet rules{{MatcherRule("launch", "cudaKernelCallExpr()"),
                        testing::CheckRule("streams", "unjoined-side-stream")}};
  std::unique_ptr<Analyzer> analyzer = MakeClangAnalyzer({});
  ASSERT_TRUE(analyzer->Prepare(rules).empty());
  std::vector<SourceFile> files;
  for (int i = 0; i < 6; ++i) {
    files.push_back(Source("f" + std::to_string(i) + ".cu",
                           std::string(i + 1, '\n') + kKernel));  // launch on line 9 + i
  }
  std::vector<AnalysisOutput> outputs(files.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < files.size(); ++i) {
    threads.emplace_back([&, i] { outputs[i] = analyzer->Analyze(files[i], rules); });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(outputs[i].file.status, rules::FileStatus::kOk) << outputs[i].file.error;
    EXPECT_THAT(Lines(outputs[i]), ElementsAre(9 + static_cast<int>(i))) << files[i].path;
  }
}

TEST(ClangAnalyzer, CheckNamesAreListed) {
  std::vector<std::string> names = ClangCheckNames();
  EXPECT_THAT(names, ::testing::Contains("unjoined-side-stream"));
  EXPECT_THAT(names, ::testing::Contains("output-cache"));
  EXPECT_THAT(names, ::testing::Contains("static-state-gate"));
  EXPECT_THAT(names, ::testing::Contains("uninitialized-output"));
  EXPECT_THAT(names, ::testing::Contains("input-written-by-kernel"));
  EXPECT_THAT(names, ::testing::Contains("oversized-shared-memory-launch"));
}

}  // namespace
}  // namespace referee::analyzers
