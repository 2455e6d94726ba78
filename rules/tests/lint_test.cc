#include "referee/rules/lint.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "referee/base/file.h"
#include "referee/rules/loader.h"

namespace referee::rules {
namespace {

class LintTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/referee-lint-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& rel, const std::string& text) {
    std::string path = dir_ + "/" + rel;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    EXPECT_TRUE(WriteFile(path, text).ok());
    return path;
  }
  std::string Rule(const std::string& dir, const std::string& id, const std::string& category) {
    return Write(dir + "/" + id + ".yaml",
                 "id: " + id + "\ntitle: t\ncategory: " + category +
                     "\nseverity: warning\nlanguages: [cuda]\nmessage: m\nrationale: r\n"
                     "check: some-check\n");
  }
  std::vector<std::string> Lint() {
    LoadResult loaded = LoadRules({dir_});
    EXPECT_TRUE(loaded.errors.empty());
    std::vector<std::string> out;
    for (const Status& s : LintRules(loaded.rules)) out.push_back(s.ToString());
    return out;
  }
  std::string dir_;
};

TEST_F(LintTest, CleanRulePasses) {
  Rule("cuda/timing", "timing-good", "timing");
  Write("cuda/timing/timing-good.cu", "// ruleid: timing-good\nx;\n// ok: timing-good\ny;\n");
  EXPECT_TRUE(Lint().empty());
}

TEST_F(LintTest, ReportsWrongCategoryDirectory) {
  std::string yaml = Rule("cuda/precision", "timing-misplaced", "timing");
  Write("cuda/precision/timing-misplaced.cu",
        "// ruleid: timing-misplaced\nx;\n// ok: timing-misplaced\ny;\n");
  EXPECT_EQ(Lint(), std::vector<std::string>{
                        yaml + ":1:1: error: rule of category 'timing' is in directory "
                               "'precision'; move it to .../timing/ [timing-misplaced]"});
}

TEST_F(LintTest, ReportsMissingTestSource) {
  std::string yaml = Rule("cuda/timing", "timing-untested", "timing");
  EXPECT_EQ(Lint(), std::vector<std::string>{
                        yaml + ":1:1: error: no test source beside the rule (expected "
                               "timing-untested.cu, .cpp, .cc or .py) [timing-untested]"});
}

TEST_F(LintTest, ReportsMissingOkCaseAndUnknownRuleAnnotations) {
  Rule("cuda/timing", "timing-half", "timing");
  std::string test =
      Write("cuda/timing/timing-half.cu", "// ruleid: timing-half\nx;\n// ok: timing-hlaf\ny;\n");
  EXPECT_EQ(Lint(), (std::vector<std::string>{
                        test + ":3:1: error: annotation names unknown rule 'timing-hlaf'",
                        test + ":1:1: error: test source needs at least one 'ruleid: "
                               "timing-half' and one 'ok: timing-half' case (has 1 and 0) "
                               "[timing-half]"}));
}

TEST_F(LintTest, ReportsTestSourceInAnotherLanguage) {
  Rule("cuda/timing", "timing-py", "timing");
  std::string test =
      Write("cuda/timing/timing-py.py", "# ruleid: timing-py\nx\n# ok: timing-py\ny\n");
  EXPECT_EQ(Lint(), std::vector<std::string>{
                        test + ":1:1: error: test source is python but the rule's languages do "
                               "not include it [timing-py]"});
}

}  // namespace
}  // namespace referee::rules
