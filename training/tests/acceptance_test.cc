#include "acceptance.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "referee/base/file.h"

namespace referee::training {
namespace {

TrainEvalReport Report(const std::vector<double>& metrics, std::vector<uint64_t> seeds = {}) {
  TrainEvalReport r;
  r.task_name = "tiny";
  r.validation_sha256 = "abc";
  for (size_t i = 0; i < metrics.size(); ++i) {
    SeedResult s;
    s.index = static_cast<int>(i) + 1;
    s.seed = i < seeds.size() ? seeds[i] : 100 + i;
    s.metric = metrics[i];
    s.train_wall_s = 10 + static_cast<double>(i);
    r.seeds.push_back(s);
  }
  return r;
}

TrainingTask Task() {
  TrainingTask t;
  t.acceptance.alpha = 0.01;
  return t;
}

TEST(Acceptance, AggregateHasATBasedInterval) {
  Aggregate a = AggregateOf({1, 2, 3, 4, 5});
  EXPECT_EQ(a.n, 5u);
  EXPECT_DOUBLE_EQ(a.mean, 3);
  EXPECT_NEAR(a.stdev, std::sqrt(2.5), 1e-12);
  EXPECT_NEAR(a.ci_high - a.mean, 2.776445 * std::sqrt(0.5), 1e-4);
  Aggregate one = AggregateOf({2.5});
  EXPECT_DOUBLE_EQ(one.ci_low, 2.5);
  EXPECT_DOUBLE_EQ(one.stdev, 0);
}

TEST(Acceptance, ThresholdIsAOneSidedOneSampleTest) {
  TrainingTask t = Task();
  t.acceptance.threshold = 3.28;
  // modded-nanogpt style: every run just under 3.28, low spread.
  std::vector<AcceptanceTest> pass =
      AcceptanceTests(t, Report({3.2791, 3.2772, 3.2785, 3.2779, 3.2781}), nullptr);
  ASSERT_EQ(pass.size(), 1u);
  EXPECT_EQ(pass[0].test.name, "one-sample t");
  EXPECT_EQ(pass[0].goal, "mean bpb < 3.28");
  EXPECT_TRUE(pass[0].passed) << pass[0].test.p;
  // Mean below the threshold but too noisy to show it at 1%.
  std::vector<AcceptanceTest> noisy = AcceptanceTests(t, Report({3.27, 3.29, 3.26}), nullptr);
  EXPECT_FALSE(noisy[0].passed) << noisy[0].test.p;
  EXPECT_TRUE(AcceptanceTests(Task(), Report({1, 2}), nullptr).empty());
}

TEST(Acceptance, TimeToTargetTestsTheTarget) {
  TrainingTask t = Task();
  t.mode = Mode::kTimeToTarget;
  t.target = 2.0;
  std::vector<AcceptanceTest> a = AcceptanceTests(t, Report({1.90, 1.91, 1.89}), nullptr);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].goal, "reaches the target: mean bpb < 2");
  EXPECT_TRUE(a[0].passed);
}

TEST(Acceptance, IncumbentPairedOnTheSameSeedsElseWelch) {
  TrainingTask t = Task();
  Incumbent inc{"old.json", {1, 2, 3}, {2.50, 2.52, 2.49}};
  std::vector<AcceptanceTest> paired =
      AcceptanceTests(t, Report({2.30, 2.33, 2.28}, {1, 2, 3}), &inc);
  ASSERT_EQ(paired.size(), 1u);
  EXPECT_EQ(paired[0].test.name, "paired t");
  EXPECT_TRUE(paired[0].passed) << paired[0].test.p;
  std::vector<AcceptanceTest> welch = AcceptanceTests(t, Report({2.30, 2.33, 2.28}), &inc);
  EXPECT_EQ(welch[0].test.name, "Welch t");
  EXPECT_LT(welch[0].test.difference, 0);
  // Worse than the incumbent: not shown.
  EXPECT_FALSE(AcceptanceTests(t, Report({2.6, 2.61, 2.62}), &inc)[0].passed);
  // A margin the improvement does not reach.
  t.acceptance.min_effect = 0.5;
  EXPECT_FALSE(AcceptanceTests(t, Report({2.30, 2.33, 2.28}, {1, 2, 3}), &inc)[0].passed);
}

TEST(Acceptance, IncumbentReportMustMatchTheTask) {
  std::string path = testing::TempDir() + "/incumbent.json";
  TrainEvalReport mine = Report({1, 2});
  auto write = [&](const std::string& text) { ASSERT_TRUE(WriteFile(path, text).ok()); };
  write(R"({"kind": "train-eval", "verdict": "PASS",
            "task": {"name": "tiny", "validation_sha256": "abc"},
            "seeds": [{"seed": 1, "metric": 2.5}, {"seed": 2, "metric": 2.6}]})");
  Expected<Incumbent> ok = LoadIncumbent(path, mine);
  ASSERT_TRUE(ok.has_value()) << ok.error().ToString();
  EXPECT_EQ(ok->scores, (std::vector<double>{2.5, 2.6}));
  write(R"({"kind": "train-eval", "verdict": "PASS",
            "task": {"name": "tiny", "validation_sha256": "other"}, "seeds": []})");
  EXPECT_NE(LoadIncumbent(path, mine).error().ToString().find("other validation tokens"),
            std::string::npos);
  write(R"({"kind": "train-eval", "verdict": "REJECTED",
            "task": {"name": "tiny", "validation_sha256": "abc"}, "seeds": []})");
  EXPECT_NE(LoadIncumbent(path, mine).error().ToString().find("REJECTED"), std::string::npos);
  write("{");
  EXPECT_FALSE(LoadIncumbent(path, mine).has_value());
  std::remove(path.c_str());
}

}  // namespace
}  // namespace referee::training
