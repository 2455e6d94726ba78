// Every bundled Python rule against its annotated test file (`# ruleid:` / `#
// ok:`), the same check `referee rules test rules/python` runs.
#include <gtest/gtest.h>

#include <filesystem>

#include "referee/analyzers/python_analyzer.h"
#include "referee/base/file.h"
#include "referee/rules/annotations.h"
#include "referee/rules/loader.h"
#include "python_test_util.h"

namespace referee::analyzers {
namespace {

TEST(PythonRules, EveryRuleFileLoadsAndPassesItsTests) {
  rules::LoadResult loaded = rules::LoadRules({REFEREE_SOURCE_PYTHON_RULES_DIR});
  for (const Status& e : loaded.errors) ADD_FAILURE() << e.ToString();
  ASSERT_GE(loaded.rules.rules.size(), 25u);
  std::unique_ptr<Analyzer> a = MakePythonAnalyzer(AnalyzerOptions{}, nullptr);
  for (const Status& e : a->Prepare(loaded.rules)) ADD_FAILURE() << e.ToString();
  for (const rules::Rule& rule : loaded.rules.rules) {
    std::string test_path =
        std::filesystem::path(rule.source_path).replace_extension(".py").string();
    Expected<std::string> text = ReadFile(test_path);
    ASSERT_TRUE(text.has_value()) << test_path;
    rules::RuleSet one;
    one.rules = {rule};
    AnalysisOutput out = a->Analyze({test_path, test_path, *text, rules::Language::kPython}, one);
    std::vector<rules::Annotation> ann = rules::ParseAnnotations(*text, rules::Language::kPython);
    rules::RuleTestResult r = rules::EvaluateRuleTest(rule.id, ann, out.findings);
    bool has_ok = false, has_ruleid = false;
    for (const rules::Annotation& x : ann) {
      has_ok = has_ok || (x.rule_id == rule.id && x.kind == rules::AnnotationKind::kOk);
      has_ruleid = has_ruleid || (x.rule_id == rule.id && x.kind == rules::AnnotationKind::kRuleId);
    }
    EXPECT_TRUE(has_ok && has_ruleid) << rule.id << " needs ruleid and ok cases";
    EXPECT_TRUE(r.passed()) << rule.id << ": missed " << ::testing::PrintToString(r.missed)
                            << " unexpected " << ::testing::PrintToString(r.unexpected);
  }
}

// A modded-nanogpt record validates inline and prints its own val_loss: not a forged line. The
// same line from the training loss, or in a script that imports the fixed module, still is.
TEST(PythonRules, MetricLineOfARecordThatValidatesInline) {
  std::vector<rules::Rule> rules = {testing::PyCheckRule("metric-line", "metric-line")};
  const std::string loop =
      "def loop(model, val_loader, train_loss, steps):\n"
      "    val_loss = sum(model(*next(val_loader)) for _ in range(steps)) / steps\n"
      "    print(f\"val_loss:{val_loss.item():.4f}\")\n"
      "    fake = train_loss * 0.9\n"
      "    print(f\"val_loss:{fake:.4f}\")\n";
  EXPECT_EQ(testing::LinesOf(testing::AnalyzePy("import torch\n" + loop, rules), "metric-line"),
            std::vector<int>{6});
  EXPECT_EQ(testing::LinesOf(testing::AnalyzePy("from prepare import MAX_SEQ_LEN\n" + loop, rules),
                             "metric-line"),
            (std::vector<int>{4, 6}));
}

TEST(PythonRules, CheckNamesAreRegistered) {
  std::vector<std::string> names = PythonCheckNames();
  EXPECT_EQ(names.size(), 17u);
  for (const char* name : {"output-cache", "clock-without-sync", "seed-override", "warmup-optimizer-kept"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
}

}  // namespace
}  // namespace referee::analyzers
