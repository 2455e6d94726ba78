#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "audit_fake_analyzer.h"
#include "audit_internal.h"
#include "referee/analyzers/audit.h"
#include "referee/base/file.h"
#include "referee/rules/report.h"

namespace referee::analyzers {
namespace {

namespace fs = std::filesystem;

class AuditDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/referee-audit-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& rel, const std::string& text) {
    fs::path path = fs::path(dir_) / rel;
    fs::create_directories(path.parent_path());
    ASSERT_TRUE(WriteFile(path.string(), text).ok());
  }
  std::vector<std::string> Displayed(const InputSet& set) {
    std::vector<std::string> out;
    for (const InputFile& f : set.files) out.push_back(f.display_path);
    return out;
  }
  std::string dir_;
};

TEST_F(AuditDriverTest, WalksSourcesAndSkipsHiddenAndBuildDirectories) {
  Write("src/b.cu", "");
  Write("src/a.cpp", "");
  Write("src/sub/c.py", "");
  Write("src/sub/h.cuh", "");
  Write("src/notes.txt", "");
  Write("src/.git/x.cu", "");
  Write("src/build/CMakeCache.txt", "");
  Write("src/build/gen.cu", "");
  Write("src/venv/pyvenv.cfg", "");
  Write("src/venv/lib.py", "");
  Write("src/__pycache__/m.py", "");
  InputSet set = CollectInputs({dir_ + "/src", dir_ + "/src/b.cu"}, dir_);
  EXPECT_EQ(Displayed(set),
            (std::vector<std::string>{"src/a.cpp", "src/b.cu", "src/sub/c.py", "src/sub/h.cuh"}));
  EXPECT_EQ(set.files[1].language, rules::Language::kCuda);
  EXPECT_EQ(set.files[2].language, rules::Language::kPython);
  EXPECT_TRUE(set.rejected.empty());
  EXPECT_TRUE(set.errors.empty());
}

TEST_F(AuditDriverTest, RejectsMissingPathsUnknownFilesAndEmptyDirectories) {
  Write("notes.txt", "");
  fs::create_directories(dir_ + "/empty/.git");
  Write("empty/.git/x.cu", "");
  InputSet set = CollectInputs({dir_ + "/nope.cu", dir_ + "/notes.txt", dir_ + "/empty/"}, dir_);
  EXPECT_TRUE(set.files.empty());
  ASSERT_EQ(set.rejected.size(), 2u);
  EXPECT_EQ(set.rejected[0].error, "nope.cu: error: no such file or directory");
  EXPECT_EQ(set.rejected[0].status, rules::FileStatus::kError);
  EXPECT_EQ(set.rejected[1].error,
            "notes.txt: error: unknown source language (expected .cu .cuh .cpp .cc .cxx .h .hpp "
            ".c .py)");
  EXPECT_EQ(set.errors, std::vector<std::string>{
                            "empty: error: no C, C++, CUDA or Python sources found in directory"});
}

TEST(DisplayPath, IsRelativeToTheWorkingDirectoryWhenUnderIt) {
  EXPECT_EQ(DisplayPath("/w/a/./b.cu", "/w"), "a/b.cu");
  EXPECT_EQ(DisplayPath("/elsewhere/b.cu", "/w"), "/elsewhere/b.cu");
  EXPECT_EQ(DisplayPath("x//y/../b.cu", "/w"), "x/b.cu");
  EXPECT_EQ(DisplayPath("dir/", "/w"), "dir");
}

TEST_F(AuditDriverTest, AnalyzesFilesAndReportsBinarySkippedAndThrowingOnes) {
  Write("k.cu", "int a;\n  int HACK = 1;\n");
  Write("bin.cu", std::string("\x7f"
                              "ELF\0\0\0",
                              7));
  Write("m.py", "x = 1\n");
  Write("t.cpp", "THROW\n");
  FakeAnalyzer fake;
  AuditRun run = RunAudit({dir_}, FakeRules(), {&fake}, AuditOptions{2, false, dir_});
  ASSERT_EQ(run.result.files.size(), 4u);
  EXPECT_EQ(run.result.files[0].path, "bin.cu");
  EXPECT_EQ(run.result.files[0].status, rules::FileStatus::kError);
  EXPECT_EQ(run.result.files[0].error, "bin.cu: error: binary file, not source");
  EXPECT_EQ(run.result.files[1].path, "k.cu");
  EXPECT_EQ(run.result.files[1].status, rules::FileStatus::kOk);
  EXPECT_EQ(run.result.files[2].status, rules::FileStatus::kSkipped);
  EXPECT_EQ(run.result.files[2].notes,
            std::vector<std::string>{"no analyzer for python in this build"});
  EXPECT_EQ(run.result.files[3].error, "t.cpp: error: internal error in the fake analyzer: boom");
  EXPECT_TRUE(run.internal_error);
  EXPECT_EQ(run.analyzed_files, 1);
  ASSERT_EQ(run.result.findings.size(), 1u);  // the duplicate pass is merged
  const rules::Finding& f = run.result.findings[0];
  EXPECT_EQ(f.path, "k.cu");
  EXPECT_EQ(f.line, 2);
  EXPECT_EQ(f.column, 7);
  EXPECT_EQ(f.snippet, "  int HACK = 1;");
  EXPECT_EQ(f.severity, rules::Severity::kError);  // from the rule
  EXPECT_EQ(f.category, rules::Category::kOutputCaching);
  EXPECT_EQ(f.message, "hack found");
}

TEST_F(AuditDriverTest, ResultsDoNotDependOnTheNumberOfJobs) {
  for (int i = 0; i < 40; ++i) {
    std::string text;
    for (int line = 0; line < i % 7; ++line) text += line % 2 ? "HACK\n" : "ok\n";
    Write("d" + std::to_string(i % 5) + "/f" + std::to_string(i) + ".cc", text);
  }
  FakeAnalyzer fake;
  rules::RuleSet rules = FakeRules();
  rules::ReportContext ctx{&rules, {}, dir_, dir_};
  std::string serial =
      rules::FormatJson(RunAudit({dir_}, rules, {&fake}, AuditOptions{1, false, dir_}).result, ctx);
  for (int jobs : {2, 8, 64}) {
    AuditRun run = RunAudit({dir_}, rules, {&fake}, AuditOptions{jobs, false, dir_});
    EXPECT_EQ(run.analyzed_files, 40);
    EXPECT_EQ(rules::FormatJson(run.result, ctx), serial) << "jobs=" << jobs;
  }
}

TEST_F(AuditDriverTest, AFileThatCrashesHangsOrBloatsIsThatFilesErrorAndTheOthersAreKept) {
  Write("a.cc", "HACK\n");
  Write("abort.cc", "ABORT\n");
  Write("bloat.cc", "BLOAT\n");
  Write("hang.cc", "HANG\n");
  Write("z.cc", "ok\nHACK\n");
  FakeAnalyzer fake;
  AuditOptions options{2, false, dir_};
  options.file_timeout_s = 1;
  options.file_memory_mib = 512;
  AuditRun run = RunAudit({dir_}, FakeRules(), {&fake}, options);
  ASSERT_EQ(run.result.files.size(), 5u);
  EXPECT_EQ(run.result.files[0].status, rules::FileStatus::kOk);
  EXPECT_EQ(run.result.files[1].error, "abort.cc: error: the analysis crashed (signal 6, SIGABRT)");
  EXPECT_EQ(run.result.files[2].error,
            "bloat.cc: error: the analysis used more than the per-file memory budget of 512 MiB");
  EXPECT_EQ(run.result.files[3].error,
            "hang.cc: error: the analysis ran past the per-file time budget of 1 s");
  for (int i : {1, 2, 3}) EXPECT_EQ(run.result.files[i].status, rules::FileStatus::kError);
  EXPECT_EQ(run.result.files[4].status, rules::FileStatus::kOk);
  EXPECT_FALSE(run.internal_error);
  ASSERT_EQ(run.result.findings.size(), 2u);
  EXPECT_EQ(run.result.findings[0].path, "a.cc");
  EXPECT_EQ(run.result.findings[1].path, "z.cc");
  EXPECT_EQ(run.result.findings[1].line, 2);
}

TEST_F(AuditDriverTest, InProcessAnalysisGivesTheSameResultsAsIsolatedAnalysis) {
  for (int i = 0; i < 12; ++i) Write("f" + std::to_string(i) + ".cc", i % 3 ? "HACK\n" : "x\n");
  Write("t.cc", "THROW\n");
  FakeAnalyzer fake;
  rules::RuleSet rules = FakeRules();
  rules::ReportContext ctx{&rules, {}, dir_, dir_};
  AuditOptions threads{2, false, dir_};
  threads.isolation = Isolation::kThreads;
  AuditRun in_process = RunAudit({dir_}, rules, {&fake}, threads);
  AuditRun isolated = RunAudit({dir_}, rules, {&fake}, AuditOptions{2, false, dir_});
  EXPECT_EQ(rules::FormatJson(in_process.result, ctx), rules::FormatJson(isolated.result, ctx));
  EXPECT_TRUE(in_process.internal_error);
  EXPECT_TRUE(isolated.internal_error);
  EXPECT_EQ(isolated.analyzed_files, 12);
}

TEST_F(AuditDriverTest, FilesLargerThanTheLimitAreNotRead) {
  Write("big.cc", "");
  fs::resize_file(fs::path(dir_) / "big.cc", uintmax_t{300} << 20);  // sparse
  FakeAnalyzer fake;
  AuditRun run = RunAudit({dir_}, FakeRules(), {&fake}, AuditOptions{1, false, dir_});
  ASSERT_EQ(run.result.files.size(), 1u);
  EXPECT_EQ(run.result.files[0].error,
            "big.cc: error: file too large to audit (300 MiB; the limit is 256 MiB)");
}

TEST(PrepareAnalyzers, CollectsRuleErrorsOnce) {
  rules::RuleSet rules = FakeRules();
  rules.rules[0].check = "broken";
  rules.rules[0].source_path = "r/fake-hack.yaml";
  FakeAnalyzer a, b;
  std::vector<Status> errors = PrepareAnalyzers({&a, &b}, rules);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].ToString(),
            "r/fake-hack.yaml:3:8: error: unknown check 'broken' [fake-hack]");
}

TEST(LineAt, ReturnsTheLineWithoutItsNewline) {
  EXPECT_EQ(LineAt("a\r\nbb\nccc", 2), "bb");
  EXPECT_EQ(LineAt("a\r\nbb\nccc", 1), "a");
  EXPECT_EQ(LineAt("a\r\nbb\nccc", 3), "ccc");
  EXPECT_EQ(LineAt("a\r\nbb\nccc", 4), "");
  EXPECT_EQ(LineAt("a", 0), "");
}

}  // namespace
}  // namespace referee::analyzers
