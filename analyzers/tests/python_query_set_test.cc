// QuerySet internals that make a file cost one traversal (issue #4,
// performance): patterns of different rules that share their structure are
// matched once, and the ModuleIndex built from the query's own traversal equals
// the one built by walking the tree.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "python/module_index.h"
#include "python/query_rule.h"
#include "python/query_structure.h"
#include "python_test_util.h"
#include "referee/analyzers/python_analyzer.h"
#include "referee/base/file.h"
#include "referee/rules/loader.h"

namespace referee::analyzers::python {
namespace {

using testing::AnalyzePy;
using ::testing::ElementsAre;
using testing::LinesOf;
using testing::PyQueryRule;

TEST(PatternStructure, DropsPredicatesAndCommentsKeepsStrings) {
  EXPECT_EQ(PatternStructure("((call function: (_) @fn) @hit\n   (#resolves-to? @fn \"a(#b)\")\n"
                             "   ; a comment (#x)\n   (#inside-loop? @hit))\n"),
            "((call function: (_) @fn) @hit )");
  EXPECT_EQ(PatternStructure("((binary_operator operator: [\"*\" \"(#\"]) @b (#eq? @b \"x\"))"),
            "((binary_operator operator: [\"*\" \"(#\"]) @b )");
  EXPECT_EQ(PatternStructure("(call)   @c"), "(call) @c");
}

TEST(SplitPatterns, FindsTopLevelPatternsWithTheirCaptures) {
  std::string q = "; c (x)\n((call) @c (#eq? @c \")\"))\n  [(a) (b)] @x @y\n\"+\" @p\n(d)* @q\n";
  std::optional<std::vector<PatternSpan>> spans = SplitPatterns(q);
  ASSERT_TRUE(spans.has_value());
  std::vector<std::string> texts;
  for (const PatternSpan& s : *spans) texts.push_back(q.substr(s.offset, s.length));
  EXPECT_THAT(texts,
              ElementsAre("((call) @c (#eq? @c \")\"))", "[(a) (b)] @x @y", "\"+\" @p", "(d)* @q"));
  EXPECT_FALSE(SplitPatterns("((call)").has_value());
  EXPECT_FALSE(SplitPatterns("_ @x").has_value());
}

TEST(PatternPredicates, KeepsEveryPredicateInOrder) {
  EXPECT_EQ(PatternPredicates("((call (identifier) @f (#eq? @f \"a)\")) @c\n (#inside-loop? @c))"),
            "(#eq? @f \"a)\") (#inside-loop? @c)");
  EXPECT_EQ(PatternPredicates("(call) @c"), "");
}

TEST(QuerySet, BundledRulesCompileThroughTheSharedQuery) {
  rules::LoadResult loaded = rules::LoadRules({REFEREE_SOURCE_PYTHON_RULES_DIR});
  std::vector<rules::Rule> query_rules;
  for (const rules::Rule& r : loaded.rules.rules) {
    if (!r.query.empty()) query_rules.push_back(r);
  }
  QuerySet set;
  EXPECT_TRUE(set.Build(query_rules).empty());
  EXPECT_TRUE(set.built_shared());
  EXPECT_LT(set.pattern_count(), 75u);  // shared structures: fewer than the rules' patterns
}

// rule_fuzzer: a bind with regex metacharacters made the loader throw std::regex_error.
TEST(QuerySet, ABindThatIsNoCaptureNameIsALocatedErrorNotACrash) {
  QuerySet set;
  std::vector<Status> errors =
      set.Build({PyQueryRule("odd", "((identifier) @hit (#eq? @hit \"zz\"))", "hit) (["),
                 PyQueryRule("prefix", "((identifier) @hitter (#eq? @hitter \"zz\"))", "hit"),
                 PyQueryRule("good", "((identifier) @hit (#eq? @hit \"zz\"))", "hit")});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_NE(errors[0].message().find("bind names no capture of the query: 'hit) (['"),
            std::string::npos)
      << errors[0].message();
  EXPECT_NE(errors[1].message().find("'hit'"), std::string::npos) << errors[1].message();
}

TEST(QuerySet, AQueryErrorFallsBackToTheRulesAsWrittenAndIsLocated) {
  QuerySet set;
  std::vector<Status> errors = set.Build({PyQueryRule("good", "((identifier) @x (#eq? @x \"zz\"))"),
                                          PyQueryRule("bad", "(call)\n(no_such_node) @x")});
  EXPECT_FALSE(set.built_shared());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].ToString(), "bad.yaml:6:4: error: unknown node type in query [bad]");
  EXPECT_EQ(set.pattern_count(), 1u);
}

TEST(QuerySet, APredicateErrorKeepsTheSharedPathAndTheOtherRules) {
  QuerySet set;
  std::vector<Status> errors =
      set.Build({PyQueryRule("good", "((identifier) @x (#eq? @x \"zz\"))"),
                 PyQueryRule("bad", "((identifier) @x)\n((string) @s (#resolves-to? @s))")});
  EXPECT_TRUE(set.built_shared());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].ToString(),
            "bad.yaml:6:3: error: '#resolves-to?' needs at least one string [bad]");
}

TEST(QuerySet, RulesSharingAStructureAreMatchedOnceAndEachKeepsItsPredicates) {
  std::vector<rules::Rule> rules = {
      PyQueryRule("a", "((call function: (_) @fn) @hit (#resolves-to? @fn \"os.getenv\"))", "hit"),
      PyQueryRule("b",
                  "((call function: (_) @fn)  @hit\n (#resolves-match? @fn "
                  "\"^time\\\\.\"))",
                  "hit"),
      PyQueryRule("c", "((call function: (identifier) @f) @hit (#eq? @f \"g\"))", "hit")};
  QuerySet set;
  EXPECT_TRUE(set.Build(rules).empty());
  EXPECT_EQ(set.pattern_count(), 2u);
  std::string code = "import os, time\nos.getenv('x')\ntime.sleep(1)\ng()\nh()\n";
  AnalysisOutput out = AnalyzePy(code, rules);
  EXPECT_THAT(LinesOf(out, "a"), ElementsAre(2));
  EXPECT_THAT(LinesOf(out, "b"), ElementsAre(3));
  EXPECT_THAT(LinesOf(out, "c"), ElementsAre(4));
}

TEST(QuerySet, CapturesAreRenumberedForTheSharedQuery) {
  // The disabled rule's `@w` is capture 0 of the merged query; the shared query
  // drops its pattern.
  AuditConfig config = *DefaultAuditConfig("autoresearch");
  std::unique_ptr<Analyzer> a = MakePythonAnalyzer(AnalyzerOptions{}, nullptr, config);
  rules::RuleSet set;
  set.rules = {
      PyQueryRule("bad", "((identifier) @w (#resolves-to? @w))"),
      PyQueryRule("first", "((assignment left: (_) @v right: (_) @w) (#eq? @v @w))"),
      PyQueryRule("second", "((assignment left: (_) @v right: (_) @w) (#eq? @w \"2\"))", "w")};
  ASSERT_EQ(a->Prepare(set).size(), 1u);
  AnalysisOutput out =
      a->Analyze({"f.py", "f.py", "x = x\ny = 2\nz = 3\n", rules::Language::kPython}, set);
  EXPECT_THAT(LinesOf(out, "first"), ElementsAre(1));
  EXPECT_THAT(LinesOf(out, "second"), ElementsAre(2));
  ASSERT_EQ(LinesOf(out, "second").size(), 1u);
  for (const rules::Finding& f : out.findings) {
    if (f.rule_id == "second") {
      EXPECT_EQ(f.column, 5);  // the bound capture @w
    }
  }
}

void ExpectSameNodes(const std::vector<TSNode>& a, const std::vector<TSNode>& b,
                     const std::string& what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(ts_node_eq(a[i], b[i])) << what << " " << i;
}

// The index from the query's traversal against the walked one, on `code`.
void ExpectSameIndex(const std::string& code, const std::string& what) {
  QuerySet set;
  ASSERT_TRUE(set.Build({PyQueryRule("r", "((identifier) @x (#eq? @x \"zz\"))")}).empty());
  TreePtr tree = ParsePython(code);
  TSNode root = ts_tree_root_node(tree.get());
  rules::RuleSet enabled;
  enabled.rules = {PyQueryRule("r", "((identifier) @x (#eq? @x \"zz\"))")};
  QueryCursorPtr cursor(ts_query_cursor_new());
  CollectedMatches collected;
  ASSERT_TRUE(set.Collect(root, enabled, cursor.get(), &collected));
  ModuleIndex queried(code, root, std::move(collected.index));
  ModuleIndex walked(code, root);
  ExpectSameNodes(queried.calls(), walked.calls(), what + ": calls");
  ExpectSameNodes(queried.functions(), walked.functions(), what + ": functions");
  ExpectSameNodes(queried.classes(), walked.classes(), what + ": classes");
  ExpectSameNodes(queried.assignments(), walked.assignments(), what + ": assignments");
  ExpectSameNodes(queried.subtractions(), walked.subtractions(), what + ": subtractions");
  ExpectSameNodes(queried.returns(), walked.returns(), what + ": returns");
  ExpectSameNodes(queried.with_items(), walked.with_items(), what + ": with items");
  for (size_t i = 0; i < walked.calls().size(); ++i) {
    TSNode f = Field(walked.calls()[i], "function");
    EXPECT_EQ(queried.Resolve(f), walked.Resolve(f)) << what << ": call " << i;
    EXPECT_EQ(queried.CalleeMayEndWith(i, "x"), walked.CalleeMayEndWith(i, "x")) << what;
  }
  for (TSNode a : walked.assignments()) {
    std::string name(NodeText(Field(a, "left"), code));
    EXPECT_TRUE(
        ts_node_eq(queried.SingleModuleAssignment(name), walked.SingleModuleAssignment(name)))
        << what << ": " << name;
  }
  for (TSNode c : walked.classes()) {
    EXPECT_EQ(queried.IsNnModuleClass(c), walked.IsNnModuleClass(c)) << what;
  }
}

TEST(QuerySet, IndexFromTheQueryTraversalEqualsTheWalkedIndex) {
  ExpectSameIndex(
      "import torch as t\nfrom time import perf_counter as pc\nS = "
      "t.cuda.Stream\n"
      "x = y = S()\nx = 2\nK = 1\nclass M(t.nn.Module):\n  def f(self):\n    "
      "import os\n"
      "    K = os.getenv('a')\n    with open(p) as f, pc() as q:\n      return "
      "f'{g(a - b)}'\n"
      "class N(M): pass\nn -= 1\n@dec(1)\ndef h(): return (lambda: z())()\n",
      "snippet");
  ExpectSameIndex("import os\nx = os.getenv(\ndef broken(:\n  y = 1 - 2\nz = f()\n",
                  "syntax error");
}

TEST(QuerySet, IndexFromTheQueryTraversalEqualsTheWalkedIndexOnTheRuleTests) {
  int files = 0;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(REFEREE_SOURCE_PYTHON_RULES_DIR)) {
    if (e.path().extension() != ".py") continue;
    Expected<std::string> code = ReadFile(e.path().string());
    ASSERT_TRUE(code.has_value()) << e.path();
    ExpectSameIndex(*code, e.path().filename().string());
    ++files;
  }
  EXPECT_GT(files, 25);
}

}  // namespace
}  // namespace referee::analyzers::python
