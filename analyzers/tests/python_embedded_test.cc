// CUDA/C++ embedded in Python strings: extraction, decoding and line/column
// mapping (issue #4).
#include <gtest/gtest.h>

#include "python/embedded.h"
#include "python/module_index.h"
#include "python/ts_util.h"
#include "python_test_util.h"
#ifdef REFEREE_HAVE_CLANG_ANALYZER
#include "referee/analyzers/clang_analyzer.h"
#endif

namespace referee::analyzers {
namespace {

using python::ExtractEmbeddedSources;
using python::ModuleIndex;

python::Extraction Extract(const std::string& code, python::TreePtr* keep) {
  *keep = python::ParsePython(code);
  ModuleIndex index(code, ts_tree_root_node(keep->get()));
  return ExtractEmbeddedSources(index);
}

TEST(PythonEmbedded, LoadInlineKeywordsListsAndNames) {
  std::string code =
      "from torch.utils.cpp_extension import load_inline\n"
      "CUDA = r'''__global__ void k(float* x) { x[0] = 1; }'''\n"
      "CPP = (\"torch::Tensor f(torch::Tensor x);\"\n       \" // more\")\n"
      "mod = load_inline(name='m', cpp_sources=[CPP], cuda_sources=CUDA, "
      "functions=['f'])\n";
  python::TreePtr tree;
  python::Extraction ex = Extract(code, &tree);
  ASSERT_EQ(ex.sources.size(), 2u);
  EXPECT_EQ(ex.sources[0].language, rules::Language::kCpp);
  EXPECT_EQ(ex.sources[0].content, "torch::Tensor f(torch::Tensor x); // more");
  EXPECT_EQ(ex.sources[1].language, rules::Language::kCuda);
  EXPECT_EQ(ex.sources[1].content, "__global__ void k(float* x) { x[0] = 1; }");
  EXPECT_TRUE(ex.notes.empty());
}

TEST(PythonEmbedded, EscapesDecodeAndMapBack) {
  std::string code =
      "import cupy as cp\nk = cp.RawKernel('extern \"C\" __global__\\n"
      "void f() {\\n  int bad;\\n}', 'f')\n";
  python::TreePtr tree;
  python::Extraction ex = Extract(code, &tree);
  ASSERT_EQ(ex.sources.size(), 1u);
  const python::EmbeddedSource& e = ex.sources[0];
  EXPECT_EQ(e.content, "extern \"C\" __global__\nvoid f() {\n  int bad;\n}");
  // `bad` is on line 3, column 7 of the decoded source; in the .py file it is
  // on line 2.
  python::PyPos p = python::MapToPython(e, code, 3, 7);
  EXPECT_EQ(p.line, 2);
  EXPECT_EQ(code.substr(code.find('\n') + p.col, 3), "bad");
}

TEST(PythonEmbedded, TripleQuotedLinesMapOneToOne) {
  std::string code =
      "import torch.utils.cpp_extension as ce\nsrc = '''\n__global__ void k() "
      "{\n"
      "  int unused;\n}\n'''\nce.load_inline('m', '', cuda_sources=src)\n";
  python::TreePtr tree;
  python::Extraction ex = Extract(code, &tree);
  ASSERT_EQ(ex.sources.size(), 1u);
  python::PyPos p = python::MapToPython(ex.sources[0], code, 3, 3);
  EXPECT_EQ(p.line, 4);
  EXPECT_EQ(p.col, 3);
}

TEST(PythonEmbedded, SubstitutionsAndUnknownNamesAreNotes) {
  std::string code =
      "from torch.utils.cpp_extension import load_inline\nn = 4\n"
      "load_inline('a', '', cuda_sources=f'int x[{n}];')\nload_inline('b', '', "
      "cuda_sources=make())\n"
      "load_inline('c', '', cuda_sources=f'int y;')\n";
  python::TreePtr tree;
  python::Extraction ex = Extract(code, &tree);
  ASSERT_EQ(ex.sources.size(), 1u);
  EXPECT_EQ(ex.sources[0].content, "int y;");
  ASSERT_EQ(ex.notes.size(), 2u);
  EXPECT_NE(ex.notes[0].find("f-string with substitutions"), std::string::npos);
}

// A fake embedded analyzer: one finding on every line containing "BAD", at the
// word.
class FakeCuda final : public Analyzer {
 public:
  const char* name() const override { return "fake"; }
  bool Handles(rules::Language l) const override { return l != rules::Language::kPython; }
  std::vector<Status> Prepare(const rules::RuleSet&) override { return {}; }
  AnalysisOutput Analyze(const SourceFile& f, const rules::RuleSet&) const override {
    AnalysisOutput out;
    seen_prefix = f.content.substr(0, f.content.find('\n'));
    int line = 1;
    size_t start = 0;
    while (start <= f.content.size()) {
      size_t end = f.content.find('\n', start);
      std::string l =
          f.content.substr(start, end == std::string::npos ? std::string::npos : end - start);
      size_t at = l.find("BAD");
      if (at != std::string::npos) {
        rules::Finding fd;
        fd.rule_id = "fake-bad";
        fd.path = f.path;
        fd.line = line, fd.column = static_cast<int>(at) + 1;
        fd.message = "bad";
        out.findings.push_back(fd);
      }
      if (end == std::string::npos) break;
      start = end + 1, ++line;
    }
    return out;
  }
  mutable std::string seen_prefix;
};

TEST(PythonEmbedded, FindingsOfTheEmbeddedAnalyzerPointIntoThePyFile) {
  std::string code =
      "from torch.utils.cpp_extension import load_inline\n"
      "cuda = '''\n__global__ void k() {\n    BAD;\n}\n'''\n"
      "m = load_inline('m', 'int f(); // BAD', cuda_sources=cuda)\n";
  FakeCuda fake;
  AnalysisOutput out = testing::AnalyzePy(code, {}, nullptr, &fake, "sol.py");
  ASSERT_EQ(out.findings.size(), 2u);
  EXPECT_EQ(out.findings[0].path, "sol.py");
  EXPECT_EQ(out.findings[0].line, 4);
  EXPECT_EQ(out.findings[0].column, 5);
  EXPECT_EQ(out.findings[0].snippet, "    BAD;");
  EXPECT_EQ(out.findings[1].line, 7);
  EXPECT_EQ(out.findings[1].column, 35);
  EXPECT_EQ(fake.seen_prefix,
            "#include <torch/types.h>");  // load_inline's own includes
}

TEST(PythonEmbedded, WithoutAnEmbeddedAnalyzerSourcesAreNoted) {
  std::string code = "import cupy\nk = cupy.RawKernel('__global__ void f() {}', 'f')\n";
  AnalysisOutput out = testing::AnalyzePy(code, {}, nullptr, nullptr);
  ASSERT_EQ(out.file.notes.size(), 1u);
  EXPECT_NE(out.file.notes[0].find("not analyzed"), std::string::npos);
}

TEST(PythonEmbedded, ClangFindingsMapToThePyFile) {
#ifndef REFEREE_HAVE_CLANG_ANALYZER
  GTEST_SKIP() << "built without the Clang analyzer (REFEREE_HAVE_CLANG_ANALYZER)";
#else
  rules::Rule r;
  r.id = "t-std-thread";
  r.languages = {rules::Language::kCpp, rules::Language::kCuda};
  r.message = "thread";
  r.matcher = "cxxConstructExpr(hasType(cxxRecordDecl(hasName(\"::std::thread\"))))";
  r.source_path = "t.yaml";
  AnalyzerOptions options;
  std::unique_ptr<Analyzer> clang = MakeClangAnalyzer(options);
  rules::RuleSet set;
  set.rules = {r};
  for (const Status& e : clang->Prepare(set)) ADD_FAILURE() << e.ToString();
  std::string code =
      "from torch.utils.cpp_extension import load_inline\n"
      "cpp = '''\n#include <thread>\nvoid go() {\n  std::thread "
      "t([] {});\n  t.detach();\n}\n'''\n"
      "m = load_inline('m', cpp_sources=cpp)\n";
  AnalysisOutput out = testing::AnalyzePy(code, set.rules, nullptr, clang.get(), "sol.py");
  ASSERT_EQ(testing::LinesOf(out, "t-std-thread"), std::vector<int>{5}) << out.file.error;
  // Clang reports the construction at the variable: `  std::thread t(...)` -> column 15.
  EXPECT_EQ(out.findings[0].column, 15);
  EXPECT_EQ(out.findings[0].snippet, "  std::thread t([] {});");
#endif
}

}  // namespace
}  // namespace referee::analyzers
