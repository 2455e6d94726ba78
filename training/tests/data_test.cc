#include "data.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <gtest/gtest.h>

#include "referee/base/file.h"
#include "sha256.h"

namespace referee::training {
namespace {

const std::string kDir = REFEREE_TRAINING_TESTDATA "/task";

class DataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/referee-data-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    run_ = tmpl;
    task_ = LoadTrainingTask(kDir).value();
  }
  void TearDown() override { std::filesystem::remove_all(run_); }
  std::string run_;
  TrainingTask task_;
};

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_F(DataTest, StagesSplitsInSortedOrderWithATripwire) {
  Expected<StagedData> d = StageData(task_, run_, "/usr/bin/python3");
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  std::string a = ReadFile(kDir + "/train_a.txt").value();
  std::string b = ReadFile(kDir + "/train_b.txt").value();
  EXPECT_EQ(ReadFile(run_ + "/data/train.bin").value(), a + b);
  EXPECT_EQ(d->train.files, 2);
  EXPECT_EQ(d->train.sha256, Sha256Hex(a + b));
  EXPECT_EQ(ReadFile(run_ + "/data/holdout.bin").value(), ReadFile(kDir + "/holdout.txt").value());
  std::string val = ReadFile(run_ + "/valdata/val.bin").value();
  EXPECT_EQ(val.size(), 600u) << "max_bytes caps the split";
  EXPECT_EQ(d->scored_sha256, Sha256Hex(val.substr(0, 513)));
  struct stat st;
  ASSERT_EQ(lstat((run_ + "/data/val.bin").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "phase 1's val.bin is a tripwire, never the data";
  EXPECT_FALSE(TripwireTouched(d->tripwire));
  int reader = open(d->tripwire.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  EXPECT_TRUE(TripwireTouched(d->tripwire));
  close(reader);
}

TEST_F(DataTest, PinnedHashMismatchIsLocated) {
  task_.train.sha256 = std::string(64, '0');
  task_.train.loc = SourceLoc{"task.json", 12, 5};
  Expected<StagedData> d = StageData(task_, run_, "/usr/bin/python3");
  ASSERT_FALSE(d.has_value());
  EXPECT_EQ(d.error().loc().line, 12);
  EXPECT_NE(d.error().message().find("differs from the task's pinned sha256"), std::string::npos);
}

TEST_F(DataTest, MissingFilesAndShortValidation) {
  task_.train.files = {"nothing_*.txt"};
  EXPECT_NE(StageData(task_, run_, "/usr/bin/python3").error().message().find("matches no file"),
            std::string::npos);
  task_ = LoadTrainingTask(kDir).value();
  task_.metric.tokens = 640;
  Expected<StagedData> d = StageData(task_, run_ + "/x", "/usr/bin/python3");
  std::filesystem::create_directories(run_ + "/x");
  d = StageData(task_, run_ + "/x", "/usr/bin/python3");
  ASSERT_FALSE(d.has_value());
  EXPECT_NE(d.error().ToString().find("fewer than metric.tokens + 1 = 641"), std::string::npos)
      << d.error().ToString();
  EXPECT_NE(d.error().ToString().find("task.json:16:"), std::string::npos) << d.error().ToString();
}

TEST_F(DataTest, PythonStdlibPlaceholder) {
  task_.train.files = {"{python_stdlib}/this.py"};
  Expected<StagedData> d = StageData(task_, run_, "/usr/bin/python3");
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  EXPECT_EQ(d->train.files, 1);
  EXPECT_NE(ReadFile(run_ + "/data/train.bin").value().find("Clguba"), std::string::npos);
}

}  // namespace
}  // namespace referee::training
