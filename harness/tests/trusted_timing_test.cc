// The trusted-timing cache (src/trusted_timing_cache.h): the reference's timing measured once
// and reused while the programs, task and settings are unchanged and the entry is young.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "referee/base/file.h"
#include "referee/harness/evaluator.h"
#include "timing/trusted_timing_cache.h"

namespace referee::harness {
namespace {

namespace fs = std::filesystem;

class TrustedTimingCache : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("referee-ttc-" + std::to_string(getpid()));
    fs::create_directories(root_);
    // A copy of the task, so that the test can change its reference.
    fs::copy(std::string(REFEREE_KERNELS_CPU) + "/vector_add", root_ / "task",
             fs::copy_options::recursive);
    Expected<Task> t = LoadTask((root_ / "task").string());
    ASSERT_TRUE(t) << t.error().ToString();
    task_ = *t;
    task_.workloads.resize(1);
    options_.stopping = QuickStopping();
    options_.recheck_delay_s = 0.002;
    options_.call_timeout_s = 5;
    options_.trusted_timing_dir = (root_ / "timings").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  WorkloadResult EvaluateHonest() {
    Expected<Candidate> c = ResolveCandidate((root_ / "task/candidates/honest.py").string());
    EXPECT_TRUE(c) << c.error().ToString();
    Expected<EvalReport> r = Evaluate(task_, *c, options_);
    EXPECT_TRUE(r) << r.error().ToString();
    EXPECT_TRUE(r->passed) << r->failure.check << ": " << r->failure.reason;
    return r->workloads.at(0);
  }

  fs::path root_;
  Task task_;
  EvalOptions options_;
};

TEST_F(TrustedTimingCache, ReusedUntilTheReferenceChangesOrTheEntryIsOld) {
  WorkloadResult first = EvaluateHonest();
  EXPECT_EQ(first.trusted_timing_source, "measured");
  ASSERT_TRUE(first.reference);
  EXPECT_TRUE(first.phase_s.count("trusted"));

  WorkloadResult second = EvaluateHonest();
  EXPECT_EQ(second.trusted_timing_source, "cached");
  ASSERT_TRUE(second.reference);
  EXPECT_EQ(second.reference->median, first.reference->median);
  EXPECT_FALSE(second.phase_s.count("trusted"));  // no trusted worker was started

  // A changed reference is another entry.
  std::string ref = (root_ / "task/reference.py").string();
  Expected<std::string> text = ReadFile(ref);
  ASSERT_TRUE(text);
  ASSERT_TRUE(WriteFile(ref, *text + "\n# changed\n").ok());
  EXPECT_EQ(EvaluateHonest().trusted_timing_source, "measured");

  // Too old (here: any age) is measured again.
  options_.trusted_timing_max_age_s = 0;
  EXPECT_EQ(EvaluateHonest().trusted_timing_source, "measured");
}

TEST_F(TrustedTimingCache, KeyFollowsTheWorkloadAndSettings) {
  ConcreteWorkload w;
  w.name = "n64k";
  ConcreteTensor t;
  t.spec.name = "x";
  t.spec.dtype = DType::kFloat32;
  t.shape = {64};
  t.numel = 64;
  w.inputs = {t};
  std::vector<std::string> files = {(root_ / "task/reference.py").string()};
  std::string key = TrustedTimingKey(w, options_, files);
  EXPECT_EQ(key, TrustedTimingKey(w, options_, files));
  ConcreteWorkload other = w;
  other.inputs[0].shape = {128};
  EXPECT_NE(key, TrustedTimingKey(other, options_, files));
  other = w;
  other.inputs[0].spec.generator.kind = "uniform";
  EXPECT_NE(key, TrustedTimingKey(other, options_, files));
  EvalOptions hot = options_;
  hot.cold = false;
  EXPECT_NE(key, TrustedTimingKey(w, hot, files));
  EvalOptions gpu = options_;
  gpu.placement = Placement::Gpu(0);
  EXPECT_NE(key, TrustedTimingKey(w, gpu, files));
}

TEST_F(TrustedTimingCache, MalformedOrMissingEntriesAreMisses) {
  std::string dir = options_.trusted_timing_dir;
  EXPECT_FALSE(LoadTrustedTimings(dir, "0123", 3600));
  fs::create_directories(dir);
  ASSERT_TRUE(WriteFile(dir + "/0123.json", "{not json").ok());
  EXPECT_FALSE(LoadTrustedTimings(dir, "0123", 3600));
  ASSERT_TRUE(WriteFile(dir + "/0123.json", R"({"measured_at_unix": 1, "reference": {}})").ok());
  EXPECT_FALSE(LoadTrustedTimings(dir, "0123", 1e12));  // the summary lacks its fields
  Summary s = Summarize({1e-3, 2e-3, 3e-3});
  StoreTrustedTimings(dir, "0123", TrustedTimings{s, std::nullopt, 0});
  std::optional<TrustedTimings> back = LoadTrustedTimings(dir, "0123", 3600);
  ASSERT_TRUE(back);
  ASSERT_TRUE(back->reference);
  EXPECT_EQ(back->reference->median, s.median);
  EXPECT_EQ(back->reference->n, 3u);
  EXPECT_FALSE(back->baseline);
}

}  // namespace
}  // namespace referee::harness
