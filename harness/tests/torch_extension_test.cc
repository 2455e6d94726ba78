// SOL-ExecBench C++ solutions (binding torch) and Python DSL solutions: reading the spec, the
// build's configuration and environment, and the one-line errors for what a host lacks
// (src/workers/torch_extension.h). The build itself runs on the GPU machine
// (tests/gpu/sol_kinds.sh); the build script is tested by harness/tests/build_ext_test.py.
#include "workers/torch_extension.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "referee/base/file.h"

namespace referee::harness {
namespace {

namespace fs = std::filesystem;

Json Spec(const std::string& text) {
  Expected<Json> j = ParseJson(text, "spec");
  EXPECT_TRUE(j.has_value());
  return j ? *j : Json();
}

Candidate Solution(std::vector<std::string> languages) {
  Candidate c;
  c.scratch_dir = "/tmp/referee-solution-test";
  c.path = c.scratch_dir + "/main.cpp";
  c.solution_path = "/data/p/solution_cuda.json";
  c.languages = std::move(languages);
  return c;
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/referee-ext-test-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(TorchExtensionTest, CudaCppSpecTakesTopLevelSourcesAndSolExecBenchDefaults) {
  Candidate c = Solution({"cuda_cpp"});
  ASSERT_TRUE(ReadTorchExtension(Spec(R"({"binding": "torch"})"),
                                 {"kernel.h", "kernel.cu", "main.cpp", "sub/extra.cu", "notes.txt"},
                                 {"s.json", 1, 1}, c)
                  .ok());
  EXPECT_EQ(c.kind, CandidateKind::kTorchExtension);
  EXPECT_EQ(c.extension.language, "cuda_cpp");
  EXPECT_EQ(c.extension.sources, (std::vector<std::string>{c.scratch_dir + "/kernel.cu",
                                                           c.scratch_dir + "/main.cpp"}));
  EXPECT_EQ(c.extension.cuda_cflags, (std::vector<std::string>{"-O3", "--use_fast_math"}));
  EXPECT_EQ(c.extension.ldflags, (std::vector<std::string>{"-lcuda"}));
  EXPECT_TRUE(c.extension.cflags.empty());
  EXPECT_EQ(c.source, c.path);
}

TEST(TorchExtensionTest, CompileOptionsReplaceTheDefaults) {
  Candidate c = Solution({"cudnn"});
  ASSERT_TRUE(ReadTorchExtension(
                  Spec(R"({"compile_options": {"cuda_cflags": ["-O2"], "cflags": ["-DX=1"],
                                               "ld_flags": ["-lcuda", "-lcudnn"]}})"),
                  {"main.cu"}, {"s.json", 1, 1}, c)
                  .ok());
  EXPECT_EQ(c.extension.language, "cudnn");
  EXPECT_EQ(c.extension.cuda_cflags, std::vector<std::string>{"-O2"});
  EXPECT_EQ(c.extension.cflags, std::vector<std::string>{"-DX=1"});
  EXPECT_TRUE(Has(c.extension.ldflags, "-lcudnn"));
}

TEST(TorchExtensionTest, BadSpecsAreOneLineErrorsAtTheSolution) {
  Candidate c = Solution({"cuda_cpp"});
  Status s = ReadTorchExtension(Spec(R"({"binding": "tvm-ffi"})"), {"k.cu"}, {"s.json", 1, 1}, c);
  EXPECT_NE(s.message().find("binding 'tvm-ffi' is not supported"), std::string::npos);
  EXPECT_EQ(s.loc().file, "s.json");
  s = ReadTorchExtension(Spec(R"({"compile_options": {"cuda_cflags": "-O3"}})"), {"k.cu"},
                         {"s.json", 1, 1}, c);
  EXPECT_NE(s.message().find("compile_options.cuda_cflags must be a list"), std::string::npos);
  s = ReadTorchExtension(Spec("{}"), {"kernel.h", "src/k.cu"}, {"s.json", 1, 1}, c);
  EXPECT_NE(s.message().find("no .cu/.cpp"), std::string::npos);
  Candidate other = Solution({"rust"});
  s = ReadTorchExtension(Spec("{}"), {"k.cu"}, {"s.json", 1, 1}, other);
  EXPECT_NE(s.message().find("names no C++ language"), std::string::npos);
}

TEST(TorchExtensionTest, PythonDslLanguagesNeedTheirModules) {
  Expected<std::vector<std::string>> m = PythonModulesFor({"cute_dsl"}, {});
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(*m, std::vector<std::string>{"cutlass"});
  EXPECT_EQ(*PythonModulesFor({"cutile"}, {}), std::vector<std::string>{"cuda.tile"});
  EXPECT_EQ(*PythonModulesFor({"cudnn_frontend"}, {}), std::vector<std::string>{"cudnn"});
  EXPECT_TRUE(PythonModulesFor({"pytorch", "triton"}, {})->empty());
  EXPECT_FALSE(PythonModulesFor({"cuda_cpp"}, {}).has_value());  // C++ named, Python entry
}

TEST(TorchExtensionTest, MissingPythonModuleIsOneLineNamingIt) {
  Candidate c = Solution({"cute_dsl"});
  c.python_modules = {"referee_no_such_module_xyz"};
  WorkerPrograms p = WorkerPrograms::BuiltIn();
  Status s = CheckPythonModules(c, p);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("a cute_dsl solution needs the Python module "
                              "'referee_no_such_module_xyz'"),
            std::string::npos)
      << s.ToString();
  EXPECT_EQ(s.loc().file, c.solution_path);
  c.python_modules = {"json"};
  EXPECT_TRUE(CheckPythonModules(c, p).ok());
}

TEST(TorchExtensionTest, BuildConfigAndEnvironment) {
  Candidate c = Solution({"cuda_cpp"});
  ASSERT_TRUE(ReadTorchExtension(Spec("{}"), {"kernel.cu", "main.cpp"}, {"s.json", 1, 1}, c).ok());
  LanguageDeps deps{{"/opt/cutlass/include"}, {"-L/x", "-l:libcudnn.so.9"}};
  Json cfg = ExtensionBuildConfig(c, deps, "/scratch/candidate.so");
  EXPECT_EQ(cfg["name"], kTorchExtensionName);
  EXPECT_EQ(cfg["output"], "/scratch/candidate.so");
  EXPECT_EQ(cfg["build_dir"], "/scratch/build");  // writable: the scratch dir
  EXPECT_EQ(cfg["include_dirs"], Json::array({c.scratch_dir, "/opt/cutlass/include"}));
  EXPECT_EQ(cfg["ldflags"], Json::array({"-lcuda", "-L/x", "-l:libcudnn.so.9"}));
  EXPECT_EQ(cfg["cuda_cflags"], Json::array({"-O3", "--use_fast_math"}));
  EXPECT_EQ(cfg["with_cuda"], true);
  WorkerPrograms p = WorkerPrograms::BuiltIn();
  p.nvcc = "/usr/local/cuda-13/bin/nvcc";
  p.ninja = "/venv/bin/ninja";
  p.cuda_arch_list = "9.0;10.0";
  std::map<std::string, std::string> env = ExtensionBuildEnv(p);
  EXPECT_EQ(env["PATH"], "/usr/local/cuda-13/bin:/venv/bin:/usr/bin:/bin");
  EXPECT_EQ(env["CUDA_HOME"], "/usr/local/cuda-13");
  EXPECT_EQ(env["TORCH_CUDA_ARCH_LIST"], "9.0;10.0");
}

TEST(TorchExtensionTest, CutlassHeadersFoundOrNamedMissing) {
  TempDir dir;
  Candidate c = Solution({"cutlass"});
  c.extension.language = "cutlass";
  WorkerPrograms p = WorkerPrograms::BuiltIn();
  p.cutlass_dir = dir.path();
  Expected<LanguageDeps> deps = FindLanguageDeps(c, TorchBuild{}, p);
  ASSERT_FALSE(deps.has_value());
  EXPECT_NE(deps.error().message().find("needs the CUTLASS headers"), std::string::npos);
  EXPECT_NE(deps.error().message().find("set CUTLASS_DIR"), std::string::npos);
  EXPECT_EQ(deps.error().loc().file, c.solution_path);
  fs::create_directories(dir.path() + "/include/cutlass");
  ASSERT_TRUE(WriteFile(dir.path() + "/include/cutlass/cutlass.h", "").ok());
  deps = FindLanguageDeps(c, TorchBuild{}, p);
  ASSERT_TRUE(deps.has_value());
  EXPECT_TRUE(Has(deps->include_dirs, dir.path() + "/include"));
  EXPECT_TRUE(Has(deps->include_dirs, dir.path() + "/tools/util/include"));
}

TEST(TorchExtensionTest, CudnnFromTheWheelBesideTorchLinksItsVersionedLibrary) {
  if (fs::exists("/usr/include/cudnn.h") || fs::exists("/usr/include/x86_64-linux-gnu/cudnn.h")) {
    GTEST_SKIP() << "this host has cuDNN headers of its own";
  }
  TempDir site;
  Candidate c = Solution({"cudnn"});
  c.extension.language = "cudnn";
  TorchBuild t;
  t.lib_dir = site.path() + "/torch/lib";
  WorkerPrograms p = WorkerPrograms::BuiltIn();
  p.nvcc = site.path() + "/cuda/bin/nvcc";  // a toolkit without cuDNN
  Expected<LanguageDeps> deps = FindLanguageDeps(c, t, p);
  ASSERT_FALSE(deps.has_value());
  EXPECT_NE(deps.error().message().find("needs cudnn.h"), std::string::npos);
  fs::create_directories(site.path() + "/nvidia/cudnn/include");
  fs::create_directories(site.path() + "/nvidia/cudnn/lib");
  ASSERT_TRUE(WriteFile(site.path() + "/nvidia/cudnn/include/cudnn.h", "").ok());
  ASSERT_TRUE(WriteFile(site.path() + "/nvidia/cudnn/lib/libcudnn.so.9", "").ok());
  deps = FindLanguageDeps(c, t, p);
  ASSERT_TRUE(deps.has_value());
  EXPECT_TRUE(Has(deps->include_dirs, site.path() + "/nvidia/cudnn/include"));
  EXPECT_TRUE(Has(deps->ldflags, "-l:libcudnn.so.9"));
  EXPECT_TRUE(Has(deps->ldflags, "-Wl,-rpath," + site.path() + "/nvidia/cudnn/lib"));
}

TEST(TorchExtensionTest, OnTheCpuAndWithoutACudaTorchOneLine) {
  Candidate c = Solution({"cuda_cpp"});
  ASSERT_TRUE(ReadTorchExtension(Spec("{}"), {"kernel.cu"}, {"s.json", 1, 1}, c).ok());
  WorkerPrograms p = WorkerPrograms::BuiltIn();
  Status s = BuildTorchExtension(c, Placement::Cpu(), SandboxMode::kOff, p);
  EXPECT_NE(s.message().find("runs on the GPU only"), std::string::npos) << s.ToString();
  EXPECT_EQ(s.loc().file, c.solution_path);
  // A GPU placement with a torch record that has no CUDA (this machine's): named.
  TempDir dir;
  std::string record = dir.path() + "/torch_build.json";
  ASSERT_TRUE(WriteFile(record, R"({"python": "/usr/bin/python3", "version": "1.13",
      "include_dirs": ["/t/include"], "lib_dir": "/t/lib", "cxx11_abi": true, "cuda": "",
      "shim": "/t/shim.so", "cxx": "/usr/bin/g++"})").ok());
  p.torch_build = record;
  s = BuildTorchExtension(c, Placement::Gpu(0), SandboxMode::kOff, p);
  EXPECT_NE(s.message().find("has no CUDA"), std::string::npos) << s.ToString();
  ASSERT_TRUE(WriteFile(record, R"({"python": "/usr/bin/python3", "version": "2.11",
      "include_dirs": ["/t/include"], "lib_dir": "/t/lib", "cxx11_abi": true, "cuda": "13.0",
      "shim": "/t/shim.so", "cxx": "/usr/bin/g++"})").ok());
  p.nvcc = "/nonexistent/bin/nvcc";
  s = BuildTorchExtension(c, Placement::Gpu(0), SandboxMode::kOff, p);
  EXPECT_NE(s.message().find("no nvcc at /nonexistent/bin/nvcc"), std::string::npos)
      << s.ToString();
  p.nvcc = "/bin/true";  // a file; ninja is what is missing now
  p.ninja = "";
  s = BuildTorchExtension(c, Placement::Gpu(0), SandboxMode::kOff, p);
  EXPECT_NE(s.message().find("no ninja on PATH"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace referee::harness
