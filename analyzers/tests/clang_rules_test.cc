// The bundled C++/CUDA rules on their annotated tests with real CUDA 13 headers (toolkit mode).
// The no-toolkit run is ctest's `rules_test` (referee rules test).
#include <gtest/gtest.h>

#include <filesystem>

#include "referee/analyzers/audit.h"
#include "referee/analyzers/clang_analyzer.h"
#include "referee/rules/loader.h"

namespace referee::analyzers {
namespace {

TEST(ClangRules, PassTheirTestsInToolkitMode) {
  const std::string cuda = "/usr/local/cuda";
  if (!std::filesystem::exists(cuda + "/include/cuda_runtime.h")) {
    GTEST_SKIP() << "no CUDA toolkit at " << cuda;
  }
  std::vector<std::string> dirs;
  for (const std::string& dir : rules::BundledRuleDirs()) dirs.push_back(dir + "/cpp");
  rules::LoadResult loaded = rules::LoadRules(dirs, ClangCheckNames());
  for (const Status& e : loaded.errors) ADD_FAILURE() << e.ToString();
  ASSERT_GE(loaded.rules.rules.size(), 15u);
  AnalyzerOptions options;
  options.cuda_path = cuda;
  std::unique_ptr<Analyzer> clang = MakeClangAnalyzer(options);
  std::vector<Analyzer*> analyzers = {clang.get()};
  std::vector<Status> prepare_errors = PrepareAnalyzers(analyzers, loaded.rules);
  for (const Status& e : prepare_errors) ADD_FAILURE() << e.ToString();
  std::vector<RuleTestOutcome> outcomes = RunRuleTests(loaded.rules, analyzers, prepare_errors, 2);
  EXPECT_EQ(outcomes.size(), loaded.rules.rules.size());
  for (const RuleTestOutcome& outcome : outcomes) {
    const rules::RuleTestResult& r = outcome.result;
    EXPECT_TRUE(outcome.skipped.empty()) << r.rule_id << ": " << outcome.skipped;
    EXPECT_TRUE(r.passed()) << r.rule_id << ": " << r.missed.size() << " missed, "
                            << r.unexpected.size() << " unexpected, "
                            << (r.errors.empty() ? "" : r.errors.front());
  }
}

}  // namespace
}  // namespace referee::analyzers
