// Building LibTorch entry-point candidates: the torch record, the command lines, and compiler
// output reduced to one line (src/torch_build.h).
#include "workers/torch_build.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "referee/base/file.h"
#include "referee/harness/candidate.h"

namespace referee::harness {
namespace {

TorchBuild FakeTorch() {
  TorchBuild t;
  t.include_dirs = {"/opt/torch/include", "/opt/torch/include/torch/csrc/api/include"};
  t.lib_dir = "/opt/torch/lib";
  t.cxx11_abi = false;
  t.shim = "/b/libreferee_torch_shim.so";
  t.cxx_std = "c++17";
  return t;
}

bool Has(const std::vector<std::string>& cmd, const std::string& arg) {
  return std::find(cmd.begin(), cmd.end(), arg) != cmd.end();
}

bool HasHarnessInclude(const std::vector<std::string>& cmd) {
  return std::any_of(cmd.begin(), cmd.end(), [](const std::string& a) {
    return a.rfind("-I", 0) == 0 && a.size() > 15 && a.ends_with("/harness/include");
  });
}

// The index of `arg` in `cmd`, or -1.
long IndexOf(const std::vector<std::string>& cmd, const std::string& arg) {
  auto it = std::find(cmd.begin(), cmd.end(), arg);
  return it == cmd.end() ? -1 : it - cmd.begin();
}

TEST(TorchCommandTest, CxxCommandUsesTorchHeadersAbiLibsAndRequiresTheEntry) {
  std::vector<std::string> cmd =
      TorchCxxCommand(FakeTorch(), "/usr/bin/g++-12", "/src/task/cand.cpp", "/scratch/c.so");
  EXPECT_EQ(cmd[0], "/usr/bin/g++-12");
  EXPECT_TRUE(Has(cmd, "-shared") && Has(cmd, "-fPIC") && Has(cmd, "-std=c++17"));
  long inc = IndexOf(cmd, "/opt/torch/include");
  ASSERT_GT(inc, 0);
  EXPECT_EQ(cmd[inc - 1], "-isystem");  // torch's warnings are not the candidate's
  EXPECT_TRUE(Has(cmd, "-D_GLIBCXX_USE_CXX11_ABI=0"));  // the worker torch's ABI, not ours
  EXPECT_TRUE(HasHarnessInclude(cmd));
  EXPECT_TRUE(Has(cmd, "-I/src/task"));
  EXPECT_TRUE(Has(cmd, "-L/opt/torch/lib") && Has(cmd, "-lc10") && Has(cmd, "-ltorch_cpu"));
  EXPECT_FALSE(Has(cmd, "-lc10_cuda"));
  EXPECT_TRUE(Has(cmd, "-Wl,-rpath,/opt/torch/lib"));
  EXPECT_TRUE(Has(cmd, "-Wl,--require-defined=referee_run_torch"));
  // Libraries after the source (link order), output as asked.
  EXPECT_LT(IndexOf(cmd, "/src/task/cand.cpp"), IndexOf(cmd, "-lc10"));
  EXPECT_EQ(cmd[IndexOf(cmd, "-o") + 1], "/scratch/c.so");
}

TEST(TorchCommandTest, NvccCommandAddsCudaLibsAndTorchExtensionDefines) {
  TorchBuild t = FakeTorch();
  t.cxx11_abi = true;
  t.cxx_std = "c++20";  // torch >= 2.11 (torch_config.py)
  std::vector<std::string> cmd = TorchNvccCommand(t, "/cuda/bin/nvcc", "/k/gelu/c/x.cu", "/o.so");
  EXPECT_EQ(cmd[0], "/cuda/bin/nvcc");
  EXPECT_TRUE(Has(cmd, "-arch=sm_90") && Has(cmd, "-shared") && Has(cmd, "-std=c++20"));
  EXPECT_FALSE(Has(cmd, "-std=c++17"));
  EXPECT_TRUE(Has(cmd, "-D_GLIBCXX_USE_CXX11_ABI=1"));
  EXPECT_TRUE(Has(cmd, "-D__CUDA_NO_HALF_OPERATORS__") && Has(cmd, "--expt-relaxed-constexpr"));
  EXPECT_TRUE(Has(cmd, "-lc10_cuda") && Has(cmd, "-ltorch_cuda") && Has(cmd, "-ltorch_cpu"));
  // Linker options go through -Xlinker (nvcc does not take -Wl,).
  long rp = IndexOf(cmd, "-rpath=/opt/torch/lib");
  ASSERT_GT(rp, 0);
  EXPECT_EQ(cmd[rp - 1], "-Xlinker");
  long req = IndexOf(cmd, "--require-defined=referee_run_torch");
  ASSERT_GT(req, 0);
  EXPECT_EQ(cmd[req - 1], "-Xlinker");
}

TEST(TorchCommandTest, RawNvccCommandKeepsItsIncludes) {
  std::vector<std::string> cmd = NvccCommand("nvcc", "/k/gelu/candidates/x.cu", "/o.so");
  EXPECT_TRUE(HasHarnessInclude(cmd));
  EXPECT_TRUE(Has(cmd, "-I/k/gelu/candidates"));
  EXPECT_FALSE(Has(cmd, "-lc10"));
}

TEST(TorchBuildTest, RecordParsesAndRejectsMissingFields) {
  Json j = {{"python", "/usr/bin/python3"}, {"version", "1.13"},
            {"include_dirs", {"/i"}}, {"lib_dir", "/l"}, {"cxx11_abi", true},
            {"cuda", ""}, {"shim", "/s.so"}, {"cxx", "/usr/bin/g++-12"}};
  Expected<TorchBuild> t = TorchBuildFromJson(j, "rec.json");
  ASSERT_TRUE(t.has_value()) << t.error().ToString();
  EXPECT_EQ(t->include_dirs, std::vector<std::string>{"/i"});
  EXPECT_EQ(t->shim, "/s.so");
  EXPECT_EQ(t->cxx, "/usr/bin/g++-12");
  Expected<TorchBuild> bad = TorchBuildFromJson(Json{{"lib_dir", "/l"}}, "rec.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().ToString(),
            "rec.json:1:1: error: torch build record needs include_dirs and lib_dir");
}

TEST(CompileFailureTest, GccDiagnosticBecomesTheLocation) {
  std::string out =
      "/scratch/cand.cpp: In function 'void referee_run_torch(...)':\n"
      "/scratch/cand.cpp:7:3: error: 'undefined_thing' was not declared in this scope\n"
      "    7 |   undefined_thing();\n";
  Status s = CompileFailure("g++", out, "/tmp/cand.cpp", "/scratch/cand.cpp");
  EXPECT_EQ(s.ToString(),
            "/tmp/cand.cpp:7:3: error: 'undefined_thing' was not declared in this scope");
}

TEST(CompileFailureTest, NvccFrontEndDiagnosticHasNoColumn) {
  Status s = CompileFailure("nvcc", "/k/x.cu(12): error: identifier \"foo\" is undefined\n",
                            "/k/x.cu", "/k/x.cu");
  EXPECT_EQ(s.ToString(), "/k/x.cu:12: error: identifier \"foo\" is undefined");
}

TEST(CompileFailureTest, HeaderErrorsKeepTheirFile) {
  Status s = CompileFailure("g++", "/k/my.h:3:1: fatal error: nope.h: No such file\n",
                            "/k/x.cpp", "/k/x.cpp");
  EXPECT_EQ(s.ToString(), "/k/my.h:3:1: error: nope.h: No such file");
}

TEST(CompileFailureTest, MissingEntrySymbolIsNamed) {
  std::string out = "/usr/bin/ld: required symbol `referee_run_torch' not defined\n"
                    "collect2: error: ld returned 1 exit status\n";
  Status s = CompileFailure("g++", out, "/k/x.cpp", "/k/x.cpp");
  EXPECT_EQ(s.ToString(),
            "/k/x.cpp: error: defines no referee_run_torch (declare it with "
            "REFEREE_TORCH_ENTRY, referee/abi/referee_torch_kernel.h)");
}

TEST(CompileFailureTest, OtherwiseTheFirstLine) {
  Status s = CompileFailure("g++", "\ng++: fatal: killed\nmore\n", "/k/x.cpp", "/k/x.cpp");
  EXPECT_EQ(s.ToString(), "/k/x.cpp: error: g++ failed: g++: fatal: killed");
}

TEST(TorchCandidateTest, SourcesResolveToTheTorchKindByExtensionOrEntryName) {
  // Candidates' paths are normalised (TempDir() ends in '/'): build them the same way.
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()).lexically_normal();
  std::string cpp = dir / "torch_cand.cpp", raw = dir / "raw.cu", torch_cu = dir / "t.cu";
  ASSERT_TRUE(WriteFile(cpp, "// any\n").ok());
  ASSERT_TRUE(WriteFile(raw, "extern \"C\" int referee_run_gpu() { return 0; }\n").ok());
  ASSERT_TRUE(WriteFile(torch_cu, "REFEREE_TORCH_ENTRY void referee_run_torch() {}\n").ok());
  Expected<Candidate> c = ResolveCandidate(cpp);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind, CandidateKind::kTorchLibrary);
  EXPECT_TRUE(c->dps);
  EXPECT_EQ(c->source, c->path);
  c = ResolveCandidate(raw);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind, CandidateKind::kCudaLibrary);
  c = ResolveCandidate(torch_cu);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->kind, CandidateKind::kTorchLibrary);
  EXPECT_EQ(c->entry, "referee_run_torch");
  // A .cu torch candidate needs the GPU backend, checked before any compiler runs.
  Status s = BuildCandidate(*c, Placement::Cpu(), SandboxMode::kOff, WorkerPrograms::BuiltIn());
  EXPECT_EQ(s.ToString(), torch_cu + ": error: a .cu candidate needs --device cuda");
}

TEST(TorchCandidateTest, NoTorchRecordIsOneLineBeforeAnyCompiler) {
  std::string src = ::testing::TempDir() + "/no_record.cpp";
  ASSERT_TRUE(WriteFile(src, "// any\n").ok());
  Expected<Candidate> c = ResolveCandidate(src);
  ASSERT_TRUE(c.has_value());
  WorkerPrograms programs = WorkerPrograms::BuiltIn();
  programs.torch_build = "/nonexistent/torch_build.json";
  Status s = BuildCandidate(*c, Placement::Cpu(), SandboxMode::kOff, programs);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.loc().file, c->source);
  EXPECT_NE(s.message().find("/nonexistent/torch_build.json"), std::string::npos)
      << s.message();
  EXPECT_EQ(s.ToString().find('\n'), std::string::npos);
  EXPECT_TRUE(c->scratch_dir.empty());  // nothing was made
}

TEST(TorchCandidateTest, WorkerConfigNamesLibraryAndShim) {
  Candidate c;
  c.kind = CandidateKind::kTorchLibrary;
  c.path = "/tmp/s/candidate.so";
  c.torch_shim = "/b/libreferee_torch_shim.so";
  c.dps = true;
  Task task;
  WorkerSpec spec =
      CandidateWorkerSpec(c, task, 1 << 20, Placement::Cpu(), true, WorkerPrograms::BuiltIn());
  Expected<Json> cfg = ParseJson(spec.argv.back(), "cfg");
  ASSERT_TRUE(cfg.has_value());
  EXPECT_EQ((*cfg)["torch_library"], "/tmp/s/candidate.so");
  EXPECT_EQ((*cfg)["torch_shim"], "/b/libreferee_torch_shim.so");
  EXPECT_EQ((*cfg)["dps"], true);
  EXPECT_FALSE(cfg->contains("cuda_library"));
}

}  // namespace
}  // namespace referee::harness
