// One tensor of a safetensors file, read by the trusted parent (src/task/safetensors.cc): the
// bytes of a well-formed file, and an error (never a crash, never an allocation past the file)
// for every truncation and for corrupted headers.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <random>
#include <string>

#include "referee/base/file.h"
#include "task/task_internal.h"

namespace referee::harness {
namespace {

// 8 bytes little-endian length, the header, then `data`.
std::string Encode(const std::string& header, const std::string& data) {
  std::string out(8, '\0');
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return out + header + data;
}

std::string ValidFile() {
  std::string data(6 * sizeof(float), '\0');
  for (int i = 0; i < 6; ++i) {
    float v = static_cast<float>(i) + 0.5f;
    std::memcpy(&data[i * sizeof(float)], &v, sizeof(float));
  }
  return Encode(R"({"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},)"
                R"( "__metadata__": {"format": "pt"}})",
                data);
}

class SafetensorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/referee-st-test-XXXXXX";
    int fd = mkstemp(tmpl);
    ASSERT_GE(fd, 0);
    close(fd);
    path_ = tmpl;
  }
  void TearDown() override { unlink(path_.c_str()); }
  Expected<std::string> Read(const std::string& bytes, DType dtype = DType::kFloat32,
                             std::vector<long long> shape = {2, 3}) {
    EXPECT_TRUE(WriteFile(path_, bytes).ok());
    return ReadSafetensorsTensor(path_, "w", dtype, shape, uint64_t{1} << 30);
  }
  std::string path_;
};

TEST_F(SafetensorsTest, ReadsTheTensorsBytes) {
  Expected<std::string> got = Read(ValidFile());
  ASSERT_TRUE(got.has_value()) << got.error().ToString();
  ASSERT_EQ(got->size(), 24u);
  float last = 0;
  std::memcpy(&last, got->data() + 20, sizeof(float));
  EXPECT_EQ(last, 5.5f);
}

TEST_F(SafetensorsTest, EveryTruncationIsAnErrorNamingTheFile) {
  std::string file = ValidFile();
  for (size_t n = 0; n < file.size(); ++n) {
    Expected<std::string> got = Read(file.substr(0, n));
    ASSERT_FALSE(got.has_value()) << "length " << n;
    EXPECT_EQ(got.error().loc().file, path_);
    EXPECT_NE(got.error().message().find("at byte"), std::string::npos) << got.error().message();
  }
}

TEST_F(SafetensorsTest, ShapeDtypeAndBudgetAreChecked) {
  EXPECT_FALSE(Read(ValidFile(), DType::kFloat32, {3, 2}).has_value());
  EXPECT_FALSE(Read(ValidFile(), DType::kBFloat16, {2, 3}).has_value());
  ASSERT_TRUE(WriteFile(path_, ValidFile()).ok());
  Expected<std::string> over = ReadSafetensorsTensor(path_, "w", DType::kFloat32, {2, 3}, 8);
  ASSERT_FALSE(over.has_value());
  EXPECT_NE(over.error().message().find("budget"), std::string::npos);
}

TEST_F(SafetensorsTest, CorruptedBytesNeverCrashOrReadPastTheFile) {
  std::string file = ValidFile();
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string bad = file;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int i = 0; i < flips; ++i) bad[rng() % bad.size()] = static_cast<char>(rng() & 0xff);
    Expected<std::string> got = Read(bad);
    if (got.has_value()) EXPECT_EQ(got->size(), 24u);  // only ever exactly the tensor
  }
}

}  // namespace
}  // namespace referee::harness
