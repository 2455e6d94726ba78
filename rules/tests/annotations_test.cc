#include "referee/rules/annotations.h"

#include <gtest/gtest.h>

namespace referee::rules {
namespace {

TEST(ParseAnnotations, TargetsTheNextNonAnnotationLine) {
  const char* source =
      "int a;\n"                                 // 1
      "// ruleid: r1\n"                          // 2
      "int b;\n"                                 // 3
      "  //ok: r1, r2\n"                         // 4
      "// todoruleid: r3\n"                      // 5
      "int c;\n"                                 // 6
      "// todook: r1\n"                          // 7
      "int d;  // ruleid: not-a-comment-line\n"  // 8
      "// ruleid: dangling\n";                   // 9
  std::vector<Annotation> a = ParseAnnotations(source, Language::kCuda);
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(a[0].kind, AnnotationKind::kRuleId);
  EXPECT_EQ(a[0].rule_id, "r1");
  EXPECT_EQ(a[0].comment_line, 2);
  EXPECT_EQ(a[0].target_line, 3);
  EXPECT_EQ(a[1].kind, AnnotationKind::kOk);
  EXPECT_EQ(a[1].rule_id, "r1");
  EXPECT_EQ(a[1].target_line, 6);
  EXPECT_EQ(a[2].rule_id, "r2");
  EXPECT_EQ(a[2].target_line, 6);
  EXPECT_EQ(a[3].kind, AnnotationKind::kTodoRuleId);
  EXPECT_EQ(a[3].rule_id, "r3");
  EXPECT_EQ(a[3].target_line, 6);
  EXPECT_EQ(a[4].kind, AnnotationKind::kTodoOk);
  EXPECT_EQ(a[4].target_line, 8);
  EXPECT_EQ(a[5].rule_id, "dangling");
  EXPECT_EQ(a[5].target_line, 0);  // nothing follows
}

TEST(ParseAnnotations, UsesHashCommentsForPython) {
  const char* source = "# ruleid: py-rule\nx = 1\n// ok: py-rule\ny = 2\n";
  std::vector<Annotation> a = ParseAnnotations(source, Language::kPython);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].rule_id, "py-rule");
  EXPECT_EQ(a[0].target_line, 2);
  EXPECT_TRUE(ParseAnnotations(source, Language::kCpp).size() == 1u);
  EXPECT_EQ(ParseAnnotations(source, Language::kCpp)[0].kind, AnnotationKind::kOk);
}

Finding At(const std::string& rule, int line) {
  Finding f;
  f.rule_id = rule;
  f.line = line;
  return f;
}

TEST(EvaluateRuleTest, PassesWhenFindingsMatchAnnotations) {
  std::vector<Annotation> a = ParseAnnotations("// ruleid: r\nx\n// ok: r\ny\n", Language::kCpp);
  RuleTestResult r = EvaluateRuleTest("r", a, {At("r", 2), At("other", 4)});
  EXPECT_TRUE(r.passed());
  EXPECT_TRUE(r.missed.empty());
  EXPECT_TRUE(r.unexpected.empty());
}

TEST(EvaluateRuleTest, ReportsMissedAndUnexpectedLines) {
  std::vector<Annotation> a = ParseAnnotations("// ruleid: r\nx\n// ok: r\ny\nz\n", Language::kCpp);
  RuleTestResult r = EvaluateRuleTest("r", a, {At("r", 4), At("r", 5)});
  EXPECT_FALSE(r.passed());
  EXPECT_EQ(r.missed, std::vector<int>{2});
  EXPECT_EQ(r.unexpected, (std::vector<int>{4, 5}));
}

TEST(EvaluateRuleTest, TodoAnnotationsNeverFail) {
  std::vector<Annotation> a = ParseAnnotations(
      "// todoruleid: r\nx\n// todook: r\ny\n// todoruleid: r\nz\n", Language::kCpp);
  RuleTestResult r = EvaluateRuleTest("r", a, {At("r", 4), At("r", 6)});
  EXPECT_TRUE(r.passed());
  EXPECT_EQ(r.todo_missed, std::vector<int>{2});
  EXPECT_EQ(r.todo_flagged, std::vector<int>{6});
  EXPECT_EQ(r.todo_ok_flagged, std::vector<int>{4});
}

}  // namespace
}  // namespace referee::rules
