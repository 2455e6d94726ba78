// Hostile Python sources (issue 20): each ends in a one-line error for its file, never a crash,
// and what can still be analysed is.
#include <gtest/gtest.h>

#include <string>

#include "python/module_index.h"
#include "python/nesting.h"
#include "python/ts_util.h"
#include "python_test_util.h"

namespace referee::analyzers {
namespace {

using testing::AnalyzePy;
using testing::LinesOf;
using testing::PyQueryRule;

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// Flags every call of `hack()`.
rules::Rule HackRule() {
  return PyQueryRule("py-hack",
                     "((call function: (identifier) @f) @hit (#eq? @f \"hack\"))");
}

TEST(PythonRobustness, SixtyFiveThousandBracketsAreAFileErrorNotAHeapCorruption) {
  // tree-sitter 0.20.7 kept child counts in 16 bits: an ERROR node of 65,536 children wrapped to
  // 0 and ts_tree_delete freed a pointer into the middle of a block (munmap_chunk abort).
  AnalysisOutput out = AnalyzePy(Repeat("(", 65535) + "\nhack()\n", {HackRule()});
  EXPECT_EQ(out.file.status, rules::FileStatus::kError);
  EXPECT_EQ(out.file.error,
            "snippet.py:1:1: error: syntax error over more than 4096 tokens; that part is not "
            "analysed");
}

TEST(PythonRobustness, ALoneCarriageReturnIsASyntaxErrorWithAPosition) {
  for (const char* code : {"import a\rb=1", "import a b=1"}) {
    AnalysisOutput out = AnalyzePy(code, {HackRule()});
    EXPECT_EQ(out.file.status, rules::FileStatus::kPartial) << code;
    EXPECT_NE(out.file.error.find("snippet.py:1:"), std::string::npos) << out.file.error;
    EXPECT_NE(out.file.error.find(": error: syntax error"), std::string::npos) << out.file.error;
  }
}

TEST(PythonRobustness, DeepChainsAreReportedAndTheRestOfTheFileIsStillAudited) {
  for (const std::string& chain : {Repeat("a.", 30000) + "a", "f" + Repeat("()", 10000),
                                   "a" + Repeat("[0]", 30000), Repeat("1+", 30000) + "1",
                                   Repeat("-", 30000) + "1", Repeat("not ", 30000) + "x"}) {
    std::string code = "hack()\nx = " + chain + "\nhack()\n";
    AnalysisOutput out = AnalyzePy(code, {HackRule()});
    EXPECT_EQ(out.file.status, rules::FileStatus::kError) << chain.substr(0, 8);
    EXPECT_NE(out.file.error.find("snippet.py:2:"), std::string::npos) << out.file.error;
    EXPECT_NE(out.file.error.find(": error: nesting too deep (more than 1000 levels)"),
              std::string::npos)
        << out.file.error;
    EXPECT_EQ(LinesOf(out, "py-hack"), (std::vector<int>{1, 3})) << chain.substr(0, 8);
  }
}

TEST(PythonRobustness, LongChainsUnderTheLimitAreNotTooDeep) {
  // Real files are under 150 deep; a 990-term sum is still audited whole.
  std::string code = "hack()\nx = " + Repeat("1+", 990) + "1\n";
  AnalysisOutput out = AnalyzePy(code, {HackRule()});
  EXPECT_EQ(out.file.status, rules::FileStatus::kOk) << out.file.error;
  EXPECT_EQ(LinesOf(out, "py-hack"), std::vector<int>{1});
}

TEST(PythonRobustness, AnAnnotationWithoutAValueDoesNotCrashTheSeedCheck) {
  // `x: int` is an assignment with no right side: a null node, which tree-sitter's accessors
  // dereference (the seed check crashed on torch's own distributed_test.py).
  AnalysisOutput out = AnalyzePy("import torch\nx: int\ndef f(seed):\n    torch.manual_seed(0)\n",
                                 {testing::PyCheckRule("seed-override", "seed-override")});
  EXPECT_EQ(out.file.status, rules::FileStatus::kOk);
  EXPECT_EQ(LinesOf(out, "seed-override"), std::vector<int>{4});
}

TEST(PythonNesting, FindsTheOutermostTooDeepNodeAndBlankingKeepsLines) {
  std::string code = "x = (((1)))\ny = [[[[2]]]]\n";
  python::TreePtr tree = python::ParsePython(code);
  // module > expression_statement > assignment > parentheses or lists: at depth 4, `((1))` and
  // `[[2]]` have grandchildren.
  std::vector<python::Span> spans = python::FindOversized(ts_tree_root_node(tree.get()), 4, 100);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_TRUE(spans[0].deep);
  EXPECT_EQ(spans[0].start.row, 0u);
  EXPECT_EQ(spans[1].start.row, 1u);
  EXPECT_EQ(python::BlankSpans("ab\ncd\r\nef", {{1, 8, {}, true}}), "a \n  \r\n f");
  EXPECT_EQ(python::BlankSpans("x = - - abcd\n", {{8, 12, {}, true}}), "x = - - (0) \n");
  EXPECT_TRUE(python::FindOversized(ts_tree_root_node(tree.get()), 50, 100).empty());
}

TEST(PythonNesting, WideErrorNodesAreFound) {
  std::string code = "x = 1\n" + Repeat("(", 300) + "\n";
  python::TreePtr tree = python::ParsePython(code);
  std::vector<python::Span> spans = python::FindOversized(ts_tree_root_node(tree.get()), 4000, 200);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_FALSE(spans[0].deep);
  EXPECT_EQ(spans[0].end_byte, code.size());
}

TEST(PythonResolver, ResolvesLongChainsWithoutRecursionAndGivesUpPastTheLimit) {
  std::string code = "import torch as t\nx = t" + Repeat(".a", 60) + "\ny = t" +
                     Repeat(".a", 30000) + "\nz = t.cuda.Stream().wait_stream\n";
  python::TreePtr tree = python::ParsePython(code);
  TSNode root = ts_tree_root_node(tree.get());
  python::ModuleIndex index(code, root);
  ASSERT_EQ(index.assignments().size(), 3u);
  auto right = [&](int i) { return python::Field(index.assignments()[i], "right"); };
  EXPECT_EQ(index.Resolve(right(0)), "torch" + Repeat(".a", 60));
  EXPECT_EQ(index.Resolve(right(1)), "");
  EXPECT_EQ(index.Resolve(right(2)), "torch.cuda.Stream().wait_stream");
}

}  // namespace
}  // namespace referee::analyzers
