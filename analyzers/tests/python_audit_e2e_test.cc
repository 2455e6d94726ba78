// End to end through the audit driver (issue #4, item 6): a mixed directory of C++/CUDA and
// Python with CUDA embedded in load_inline strings, all bundled rules, both analyzers.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "referee/analyzers/audit.h"
#include "referee/rules/loader.h"

namespace referee::analyzers {
namespace {

namespace fs = std::filesystem;

class MixedDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / "referee_python_e2e";
    fs::remove_all(root_);
    fs::create_directories(root_);
    Write("solution.py",
          "import torch\n"
          "from torch.utils.cpp_extension import load_inline\n"
          "cuda_src = r'''\n"
          "#include <unordered_map>\n"
          "static std::unordered_map<const void*, at::Tensor> g_results;\n"
          "torch::Tensor relu(torch::Tensor x) {\n"
          "  auto hit = g_results.find(x.data_ptr());\n"
          "  if (hit != g_results.end()) return hit->second;\n"
          "  auto y = torch::relu(x);\n"
          "  g_results[x.data_ptr()] = y;\n"
          "  return y;\n"
          "}\n"
          "'''\n"
          "ext = load_inline('e', cpp_sources='torch::Tensor relu(torch::Tensor x);',\n"
          "                  cuda_sources=cuda_src, functions=['relu'])\n"
          "torch.cuda.Event.elapsed_time = lambda self, end: 0.01\n"
          "class ModelNew(torch.nn.Module):\n"
          "    def forward(self, x):\n"
          "        return ext.relu(x)\n");
    Write("honest.py",
          "import torch\nclass ModelNew(torch.nn.Module):\n"
          "    def forward(self, x):\n        return torch.relu(x)\n");
    Write("broken.py", "import time\ntime.time = f\ndef g(:\n");
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(root_ / name) << text;
  }
  fs::path root_;
};

TEST_F(MixedDirectory, PythonAndEmbeddedCudaFindingsPointIntoThePyFiles) {
  rules::LoadResult loaded = rules::LoadRules(rules::BundledRuleDirs());
  BuiltInAnalyzers analyzers = MakeBuiltInAnalyzers(AnalyzerOptions{});
  ASSERT_NE(analyzers.python, nullptr);
  (void)PrepareAnalyzers(analyzers.all, loaded.rules);  // other components' rule errors aside
  AuditOptions options;
  options.jobs = 2;
  options.cwd = root_.string();
  AuditRun run = RunAudit({root_.string()}, loaded.rules, analyzers.all, options);
  auto has = [&](const std::string& path, int line, const std::string& rule) {
    for (const rules::Finding& f : run.result.findings) {
      if (f.path == path && f.line == line && f.rule_id == rule) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("solution.py", 16, "harness-tampering-timer-monkeypatch"));
  EXPECT_TRUE(has("broken.py", 2, "harness-tampering-timer-monkeypatch"));
  for (const rules::Finding& f : run.result.findings) {
    EXPECT_NE(f.path, "honest.py") << f.rule_id << " at line " << f.line;
  }
  for (const rules::FileResult& fr : run.result.files) {
    if (fr.path == "broken.py") {
      EXPECT_EQ(fr.status, rules::FileStatus::kPartial);
      EXPECT_EQ(fr.error, "broken.py:3:7: error: syntax error: missing ')'");
    }
  }
  if (analyzers.clang == nullptr) {
    GTEST_SKIP() << "built without the Clang analyzer: embedded CUDA not analyzed";
  }
  bool embedded = false;
  for (const rules::Finding& f : run.result.findings) {
    // The static cache is declared on line 5 of solution.py, inside the cuda_sources string.
    embedded = embedded || (f.path == "solution.py" && f.line == 5 &&
                            f.rule_id == "output-caching-static-result-cache");
  }
  EXPECT_TRUE(embedded);
}

}  // namespace
}  // namespace referee::analyzers
