#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "audit_fake_analyzer.h"
#include "referee/analyzers/audit.h"
#include "referee/base/file.h"

namespace referee::analyzers {
namespace {

namespace fs = std::filesystem;

class RuleTestRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/referee-ruletest-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    rules_ = FakeRules();
    rules_.rules[0].source_path = dir_ + "/fake-hack.yaml";
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& rel, const std::string& text) {
    ASSERT_TRUE(WriteFile(dir_ + "/" + rel, text).ok());
  }
  RuleTestOutcome RunOne(const std::vector<Analyzer*>& analyzers,
                         const std::vector<Status>& errors = {}) {
    std::vector<RuleTestOutcome> out = RunRuleTests(rules_, analyzers, errors, 2);
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? RuleTestOutcome{} : out[0];
  }
  std::string dir_;
  rules::RuleSet rules_;
};

TEST_F(RuleTestRunnerTest, PassesWhenAnnotationsMatch) {
  Write("fake-hack.cu", "// ruleid: fake-hack\nint HACK;\n// ok: fake-hack\nint fine;\n");
  FakeAnalyzer fake;
  RuleTestOutcome o = RunOne({&fake});
  EXPECT_TRUE(o.result.passed());
  EXPECT_TRUE(o.skipped.empty());
  EXPECT_EQ(o.test_file, dir_ + "/fake-hack.cu");
}

TEST_F(RuleTestRunnerTest, ReportsMissedAndUnexpectedLines) {
  Write("fake-hack.cc", "// ruleid: fake-hack\nint fine;\n// ok: fake-hack\nint HACK;\nHACK\n");
  FakeAnalyzer fake;
  RuleTestOutcome o = RunOne({&fake});
  EXPECT_FALSE(o.result.passed());
  EXPECT_EQ(o.result.missed, std::vector<int>{2});
  EXPECT_EQ(o.result.unexpected, (std::vector<int>{4, 5}));
}

TEST_F(RuleTestRunnerTest, FailsOnMissingTestSourceAndPrepareErrors) {
  FakeAnalyzer fake;
  RuleTestOutcome missing = RunOne({&fake});
  EXPECT_FALSE(missing.result.passed());
  EXPECT_EQ(
      missing.result.errors,
      std::vector<std::string>{dir_ + "/fake-hack.yaml: error: no test source beside the rule"});

  Write("fake-hack.cu", "// ruleid: fake-hack\nint HACK;\n// ok: fake-hack\nint fine;\n");
  Status bad = InvalidArgumentError("bad matcher", SourceLoc{dir_ + "/fake-hack.yaml", 9, 3});
  RuleTestOutcome o = RunOne({&fake}, {bad});
  EXPECT_FALSE(o.result.passed());
  EXPECT_EQ(o.result.errors, std::vector<std::string>{bad.ToString()});
}

TEST_F(RuleTestRunnerTest, SkipsRulesWithoutAnAnalyzer) {
  Write("fake-hack.cu", "// ruleid: fake-hack\nint HACK;\n// ok: fake-hack\nint fine;\n");
  RuleTestOutcome o = RunOne({});
  EXPECT_EQ(o.skipped, "no analyzer for cuda in this build");
}

}  // namespace
}  // namespace referee::analyzers
