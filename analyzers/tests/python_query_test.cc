// Query rules: standard and Referee predicates, pattern errors, syntax errors
// (issue #4).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "python_test_util.h"
#include "referee/analyzers/python_analyzer.h"

namespace referee::analyzers::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(PythonQuery, StandardPredicates) {
  std::string code = "foo(1)\nbar(2)\nbaz(3)\nqux(4)\n";
  auto lines = [&](const std::string& q) {
    return LinesOf(AnalyzePy(code, {PyQueryRule("r", q)}), "r");
  };
  EXPECT_THAT(lines(R"(((call function: (identifier) @f) (#eq? @f "bar")))"), ElementsAre(2));
  EXPECT_THAT(lines(R"(((call function: (identifier) @f) (#not-eq? @f "bar")))"),
              ElementsAre(1, 3, 4));
  EXPECT_THAT(lines(R"(((call function: (identifier) @f) (#match? @f "^ba")))"), ElementsAre(2, 3));
  EXPECT_THAT(lines(R"(((call function: (identifier) @f) (#not-match? @f "^ba")))"),
              ElementsAre(1, 4));
  EXPECT_THAT(lines(R"(((call function: (identifier) @f) (#any-of? @f "foo" "qux")))"),
              ElementsAre(1, 4));
  EXPECT_THAT(lines(R"(((call function: (identifier) @f) (#not-any-of? @f "foo" "qux")))"),
              ElementsAre(2, 3));
}

TEST(PythonQuery, EqBetweenCaptures) {
  std::string code = "x = x\ny = z\n";
  auto out = AnalyzePy(code, {PyQueryRule("r", R"(((assignment left: (_) @a right: (_) @b)
                                                   (#eq? @a @b)))")});
  EXPECT_THAT(LinesOf(out, "r"), ElementsAre(1));
}

TEST(PythonQuery, ResolvesToMatchesAliases) {
  std::string code =
      "import torch as t\nfrom torch.cuda import Stream as "
      "St\nS = t.cuda.Stream\n"
      "a = t.cuda.Stream()\nb = St()\nc = S()\nd = Stream()\n";
  auto out = AnalyzePy(code, {PyQueryRule("r", R"(((call function: (_) @f) @c
                                                   (#resolves-to? @f "torch.cuda.Stream")))",
                                          "c")});
  EXPECT_THAT(LinesOf(out, "r"), ElementsAre(4, 5, 6));
}

TEST(PythonQuery, ScopePredicatesCombine) {
  std::string code =
      "import torch.nn as nn\nclass M(nn.Module):\n    def forward(self, x):\n"
      "        for i in x:\n            f(i)\n        f(x)\n    def "
      "run(self):\n        f(1)\n"
      "f(2)\n";
  auto lines = [&](const std::string& preds) {
    return LinesOf(AnalyzePy(code, {PyQueryRule("r",
                                                "((call function: (identifier) @f) @c "
                                                "(#eq? @f \"f\") " +
                                                    preds + ")",
                                                "c")}),
                   "r");
  };
  EXPECT_THAT(lines(R"((#inside-function? @c "forward"))"), ElementsAre(5, 6));
  EXPECT_THAT(lines(R"((#not-inside-function? @c "forward"))"), ElementsAre(8, 9));
  EXPECT_THAT(lines("(#inside-nn-module? @c) (#inside-loop? @c)"), ElementsAre(5));
  EXPECT_THAT(lines("(#at-module-level? @c)"), ElementsAre(9));
  EXPECT_THAT(lines("(#inside-entry-function? @c)"), ElementsAre(5, 6, 8));
}

TEST(PythonQuery, ConfigPredicates) {
  std::string code =
      "import prepare\nfrom prepare import TIME_BUDGET, "
      "evaluate_bpb\nimport time\n"
      "prepare.X = 1\nother.X = 2\nTIME_BUDGET = 1\nLIMIT = "
      "2\nevaluate_bpb(m)\nscore(m)\n"
      "time.perf_counter()\nclock()\n";
  auto lines = [&](const std::string& q) {
    return LinesOf(AnalyzePy(code, {PyQueryRule("r", q)}), "r");
  };
  EXPECT_THAT(lines("((assignment left: (attribute object: (_) @o)) @a "
                    "(#is-fixed-module? @o))"),
              ElementsAre(4));
  EXPECT_THAT(lines("((assignment left: (identifier) @n) (#is-budget? @n))"), ElementsAre(6));
  EXPECT_THAT(lines("((call function: (_) @f) (#is-evaluator? @f))"), ElementsAre(8));
  EXPECT_THAT(lines("((call function: (_) @f) (#is-timer? @f))"), ElementsAre(10));
}

TEST(PythonQuery, FileLevelPredicates) {
  const std::string q = "((call function: (identifier) @f) @c (#eq? @f \"f\") ";
  auto fires = [&](const std::string& code, const std::string& pred) {
    return !LinesOf(AnalyzePy(code, {PyQueryRule("r", q + pred + ")", "c")}), "r").empty();
  };
  const std::string kernel = "import torch\nclass ModelNew(torch.nn.Module):\n    pass\nf()\n";
  const std::string triton = "import triton\nf()\n";
  const std::string training =
      "import time\nfrom prepare import evaluate_bpb\nt = 0\nwhile t < 9:\n"
      "    t0 = time.time()\n    f()\n    t += time.time() - t0\n";
  const std::string modded =
      "import time\nms = 0\nt0 = time.perf_counter()\nfor s in range(3):\n"
      "    ms += 1000 * (time.perf_counter() - t0)\n    f()\n    t0 = time.perf_counter()\n";
  EXPECT_TRUE(fires(kernel, "(#in-kernel-submission? @c)"));
  EXPECT_TRUE(fires(triton, "(#in-kernel-submission? @c)"));
  EXPECT_FALSE(fires(training, "(#in-kernel-submission? @c)"));
  EXPECT_TRUE(fires(training, "(#file-uses-evaluator? @c)"));
  EXPECT_FALSE(fires(modded, "(#file-uses-evaluator? @c)"));
  EXPECT_TRUE(fires(modded, "(#file-has-training-clock? @c)"));
  EXPECT_FALSE(fires(triton, "(#file-has-training-clock? @c)"));
  EXPECT_TRUE(fires(modded, "(#in-submission-code? @c)"));
  // Every audited file is candidate code (issue 18): module level is in scope, a kernel's
  // `if __name__ == "__main__":` block (the author's own test driver) is not.
  EXPECT_TRUE(fires("import os\nf()\n", "(#in-submission-code? @c)"));
  EXPECT_FALSE(fires("import torch\n\n\ndef run(x):\n    return x\n\n\n"
                     "if __name__ == '__main__':\n    f()\n",
                     "(#in-submission-code? @c)"));
  EXPECT_TRUE(fires(triton, "(#file-imports? @c \"triton\")"));
  EXPECT_FALSE(fires(triton, "(#file-imports? @c \"torch\")"));
  EXPECT_TRUE(fires(training, "(#inside-timed-region? @c)"));
  EXPECT_TRUE(fires(modded, "(#inside-untimed-gap? @c)"));
}

TEST(PythonQuery, BadQueryIsLocatedInTheRuleFile) {
  AuditConfig config = *DefaultAuditConfig("autoresearch");
  std::unique_ptr<Analyzer> a = MakePythonAnalyzer(AnalyzerOptions{}, nullptr, config);
  rules::RuleSet set;
  set.rules = {PyQueryRule("bad-node", "(call)\n(no_such_node) @x"),
               PyQueryRule("bad-pred", "((identifier) @x (#frobnicate? @x))"),
               PyQueryRule("bad-regex", "((identifier) @x (#match? @x \"(\"))"),
               PyQueryRule("bad-bind", "((identifier) @x)", "y"),
               PyCheckRule("bad-check", "no-such-check"),
               PyQueryRule("good", "((identifier) @x (#eq? @x \"zz\"))")};
  std::vector<Status> errors = a->Prepare(set);
  ASSERT_EQ(errors.size(), 5u);
  std::string all;
  for (const Status& e : errors) all += e.ToString() + "\n";
  EXPECT_NE(all.find("bad-node.yaml:6:4: error: unknown node type in query [bad-node]\n"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("unknown predicate '#frobnicate?' [bad-pred]"), std::string::npos) << all;
  EXPECT_NE(all.find("bad regex"), std::string::npos) << all;
  EXPECT_NE(all.find("bind names no capture of the query: 'y' [bad-bind]"), std::string::npos)
      << all;
  EXPECT_NE(all.find("unknown Python check 'no-such-check' [bad-check]"), std::string::npos) << all;
  // The good rule still runs.
  AnalysisOutput out = a->Analyze({"f.py", "f.py", "zz = 1\n", rules::Language::kPython}, set);
  EXPECT_EQ(out.findings.size(), 1u);
}

TEST(PythonQuery, PredicateErrorsInTheMergedQueryAreLocatedPerRule) {
  AuditConfig config = *DefaultAuditConfig("autoresearch");
  std::unique_ptr<Analyzer> a = MakePythonAnalyzer(AnalyzerOptions{}, nullptr, config);
  rules::RuleSet set;
  set.rules = {PyQueryRule("good", "((identifier) @x (#eq? @x \"zz\"))"),
               PyQueryRule("bad-pred", "((identifier) @x)\n((string) @s (#resolves-to? @s))")};
  std::vector<Status> errors = a->Prepare(set);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].ToString(),
            "bad-pred.yaml:6:3: error: '#resolves-to?' needs at least one string [bad-pred]");
  AnalysisOutput out = a->Analyze({"f.py", "f.py", "zz = 'a'\n", rules::Language::kPython}, set);
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].rule_id, "good");
}

TEST(PythonQuery, SyntaxErrorIsPositionedAndParsablePartsStillReported) {
  std::string code = "import time\ntime.perf_counter = f\ndef broken(:\n    pass\nx = 1\n";
  auto out = AnalyzePy(code, {PyQueryRule("r", R"(((assignment left: (attribute) @t) @a
                                                   (#resolves-to? @t "time.perf_counter")))")});
  EXPECT_EQ(out.file.status, rules::FileStatus::kPartial);
  EXPECT_EQ(out.file.error, "snippet.py:3:12: error: syntax error: missing ')'");
  EXPECT_THAT(LinesOf(out, "r"), ElementsAre(2));
}

TEST(PythonQuery, CleanFileIsOk) {
  auto out = AnalyzePy("x = 1\n", {PyQueryRule("r", "((identifier) @x (#eq? @x \"y\"))")});
  EXPECT_EQ(out.file.status, rules::FileStatus::kOk);
  EXPECT_TRUE(out.file.error.empty());
  EXPECT_THAT(out.findings, IsEmpty());
}

}  // namespace
}  // namespace referee::analyzers::testing
