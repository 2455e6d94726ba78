// referee.yaml parsing and presets (issue #4).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "python_test_util.h"
#include "referee/analyzers/audit_config.h"

namespace referee::analyzers {
namespace {

TEST(AuditConfig, AutoresearchPreset) {
  AuditConfig c = *DefaultAuditConfig("autoresearch");
  EXPECT_EQ(c.fixed_files, std::vector<std::string>{"prepare.py"});
  EXPECT_EQ(c.fixed_modules, std::vector<std::string>{"prepare"});
  EXPECT_EQ(c.evaluators, std::vector<std::string>{"evaluate_bpb"});
  EXPECT_EQ(c.budget_names, std::vector<std::string>{"TIME_BUDGET"});
  EXPECT_EQ(c.validation_reads, "evaluator");
}

TEST(AuditConfig, ModdedPresetSanctionsUntimedValidation) {
  AuditConfig c = *DefaultAuditConfig("modded-nanogpt");
  EXPECT_TRUE(c.fixed_files.empty());
  EXPECT_TRUE(c.evaluators.empty());
  EXPECT_EQ(c.validation_reads, "untimed");
}

TEST(AuditConfig, YamlOverridesThePreset) {
  Expected<AuditConfig> c = ParseAuditConfig(
      "layout: generic\nfixed_files: [harness/eval.py]\nevaluator: [score]\n"
      "budget: [MAX_SECONDS]\nallowed_calls: [kernels.get_kernel]\n",
      "referee.yaml");
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->fixed_modules, std::vector<std::string>{"eval"});
  EXPECT_EQ(c->evaluators, std::vector<std::string>{"score"});
  EXPECT_EQ(c->budget_names, std::vector<std::string>{"MAX_SECONDS"});
  EXPECT_EQ(c->allowed_calls, std::vector<std::string>{"kernels.get_kernel"});
}

TEST(AuditConfig, ErrorsAreLocated) {
  Expected<AuditConfig> c = ParseAuditConfig("evaluator: [a]\nbogus: 1\n", "r/referee.yaml");
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().ToString(), "r/referee.yaml:2:8: error: unknown key 'bogus' in referee.yaml");
  Expected<AuditConfig> bad = ParseAuditConfig("layout: nanogpt\n", "referee.yaml");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("unknown layout 'nanogpt'"), std::string::npos);
  EXPECT_FALSE(ParseAuditConfig("evaluator: [a\n", "referee.yaml").has_value());
}

TEST(AuditConfig, LoadPicksThePresetFromTheRoot) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / "referee_config_test";
  fs::remove_all(root);
  fs::create_directories(root);
  std::ofstream(root / "train_gpt.py") << "x = 1\n";
  EXPECT_EQ(LoadAuditConfig(root.string())->layout, "modded-nanogpt");
  std::ofstream(root / "referee.yaml") << "layout: autoresearch\nbudget: [B]\n";
  Expected<AuditConfig> c = LoadAuditConfig(root.string());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->budget_names, std::vector<std::string>{"B"});
  EXPECT_TRUE(IsFixedFile(*c, (root / "prepare.py").string()));
  EXPECT_FALSE(IsFixedFile(*c, (root / "sub" / "prepare.py").string()));
  fs::remove_all(root);
}

TEST(AuditConfig, PrepareIsFixedOnlyInAnAutoresearchCheckout) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / "referee_config_test2";
  fs::remove_all(root);
  fs::create_directories(root);
  std::ofstream(root / "prepare.py") << "x = 1\n";
  AuditConfig lone = *LoadAuditConfig(root.string());
  EXPECT_FALSE(IsFixedFile(lone, (root / "prepare.py").string()));
  EXPECT_EQ(lone.fixed_modules, std::vector<std::string>{"prepare"});
  std::ofstream(root / "train.py") << "x = 1\n";
  EXPECT_TRUE(IsFixedFile(*LoadAuditConfig(root.string()), (root / "prepare.py").string()));
  fs::remove_all(root);
}

TEST(AuditConfig, FixedFilesAreSkippedByTheAnalyzer) {
  AuditConfig c = *DefaultAuditConfig("autoresearch");
  AnalysisOutput out =
      testing::AnalyzePy("import time\ntime.time = f\n", {}, &c, nullptr, "prepare.py");
  EXPECT_EQ(out.file.status, rules::FileStatus::kSkipped);
  EXPECT_TRUE(out.findings.empty());
}

}  // namespace
}  // namespace referee::analyzers
