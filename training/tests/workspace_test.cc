#include "workspace.h"

#include <unistd.h>

#include <filesystem>
#include <gtest/gtest.h>

#include "referee/base/file.h"

namespace referee::training {
namespace {

namespace fs = std::filesystem;
const std::string kDir = REFEREE_TRAINING_TESTDATA "/task";

class WorkspaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/referee-ws-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    cand_ = root_ + "/cand";
    run_ = root_ + "/run";
    fs::create_directories(cand_ + "/lib");
    fs::create_directories(run_);
    task_ = LoadTrainingTask(kDir).value();
    Write("train.py", "print(1)\n");
    Write("lib/util.py", "X = 2\n");
    Write("results.tsv", "commit\tval_bpb\n");
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& rel, const std::string& text) {
    ASSERT_TRUE(WriteFile(cand_ + "/" + rel, text).ok());
  }
  std::string root_, cand_, run_;
  TrainingTask task_;
};

TEST_F(WorkspaceTest, CopiesEditableAndFixedFilesAndIgnoresTheRest) {
  Expected<Workspace> ws = PrepareWorkspace(task_, cand_, run_);
  ASSERT_TRUE(ws.has_value()) << ws.error().ToString();
  EXPECT_EQ(ws->editable, (std::vector<std::string>{"lib/util.py", "train.py"}));
  EXPECT_EQ(ws->ignored, std::vector<std::string>{"results.tsv"});
  EXPECT_TRUE(ws->changed_fixed.empty());
  EXPECT_EQ(ReadFile(run_ + "/work/prepare.py").value(), "FIXED = 1\n");
  EXPECT_EQ(ReadFile(run_ + "/work/lib/util.py").value(), "X = 2\n");
  EXPECT_TRUE(ChangedFixedFiles(*ws).empty());
  ASSERT_TRUE(WriteFile(run_ + "/work/prepare.py", "FIXED = 2\n").ok());
  EXPECT_EQ(ChangedFixedFiles(*ws), std::vector<std::string>{"prepare.py"});
}

TEST_F(WorkspaceTest, ACandidateCopyOfAFixedFileIsComparedNeverUsed) {
  Write("prepare.py", "FIXED = 1\n");
  EXPECT_TRUE(PrepareWorkspace(task_, cand_, run_)->changed_fixed.empty()) << "identical: fine";
  Write("prepare.py", "FIXED = 1  # tuned\nEVAL_TOKENS = 10\n");
  Expected<Workspace> ws = PrepareWorkspace(task_, cand_, run_);
  ASSERT_TRUE(ws.has_value());
  EXPECT_EQ(ws->changed_fixed, std::vector<std::string>{"prepare.py"});
  EXPECT_EQ(ReadFile(run_ + "/work/prepare.py").value(), "FIXED = 1\n") << "the task's copy runs";
}

TEST_F(WorkspaceTest, SymlinksAreNotFollowed) {
  ASSERT_EQ(symlink((kDir + "/val.txt").c_str(), (cand_ + "/lib/val.py").c_str()), 0);
  Expected<Workspace> ws = PrepareWorkspace(task_, cand_, run_);
  ASSERT_TRUE(ws.has_value());
  EXPECT_FALSE(fs::exists(run_ + "/work/lib/val.py"));
  EXPECT_EQ(ws->ignored.front(), "lib/val.py (a symlink)");
}

TEST_F(WorkspaceTest, MissingScriptOrDirectoryIsAnInputError) {
  fs::remove(cand_ + "/train.py");
  EXPECT_NE(PrepareWorkspace(task_, cand_, run_).error().ToString().find("has no train.py"),
            std::string::npos);
  EXPECT_NE(PrepareWorkspace(task_, root_ + "/nope", run_).error().ToString().find(
                "not a candidate directory"),
            std::string::npos);
}

}  // namespace
}  // namespace referee::training
