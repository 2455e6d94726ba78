#include "referee/harness/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace referee::harness {
namespace {

TEST(Stats, SummarizesQuartilesAndMedianInterval) {
  std::vector<double> v;
  for (int i = 1; i <= 101; ++i) v.push_back(i);
  Summary s = Summarize(v);
  EXPECT_EQ(s.n, 101u);
  EXPECT_DOUBLE_EQ(s.median, 51);
  EXPECT_DOUBLE_EQ(s.q1, 26);
  EXPECT_DOUBLE_EQ(s.q3, 76);
  EXPECT_DOUBLE_EQ(s.iqr, 50);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_LT(s.ci_low, s.median);
  EXPECT_GT(s.ci_high, s.median);
  EXPECT_NEAR(s.ci_high - s.ci_low, 2 * 1.96 * std::sqrt(101.0) / 2, 2.5);
}

TEST(Stats, StopsOnLowNoiseAfterMinimums) {
  StoppingParams p;
  p.min_samples = 5;
  p.min_time_s = 0.001;
  StdRelCriterion c(p);
  std::vector<double> v;
  bool done = false;
  for (int i = 0; i < 20 && !done; ++i) {
    v.push_back(1e-3);
    done = c.Done(v, 0.1);
  }
  EXPECT_TRUE(done);
  EXPECT_EQ(v.size(), 5u);
  EXPECT_EQ(c.reason(), "noise");
}

TEST(Stats, StopsWhenNoiseIsStableButHigh) {
  StoppingParams p;
  p.min_samples = 10;
  p.min_time_s = 0;
  p.max_noise = 1e-9;
  p.stability_window = 16;
  StdRelCriterion c(p);
  std::mt19937_64 rng(1);
  std::normal_distribution<double> d(1.0, 0.2);
  std::vector<double> v;
  bool done = false;
  while (!done && v.size() < 5000) {
    v.push_back(std::max(0.01, d(rng)));
    done = c.Done(v, 0.0);
  }
  EXPECT_TRUE(done);
  EXPECT_EQ(c.reason(), "stable");
}

TEST(Stats, StopsOnTimeout) {
  StoppingParams p;
  p.timeout_s = 1;
  StdRelCriterion c(p);
  EXPECT_TRUE(c.Done({1.0}, 2.0));
  EXPECT_EQ(c.reason(), "timeout");
}

TEST(Stats, PairedComparisonGivesThreeWayVerdicts) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 0.01);
  std::vector<double> a, faster, same, slower;
  for (int i = 0; i < 10; ++i) {
    double drift = 1 + 0.2 * i;  // machine drift cancels in paired log ratios
    a.push_back(drift * std::exp(noise(rng)));
    faster.push_back(drift * 0.8 * std::exp(noise(rng)));
    same.push_back(drift * std::exp(noise(rng) * 0.1));
    slower.push_back(drift * 1.3 * std::exp(noise(rng)));
  }
  EXPECT_EQ(ComparePaired(a, faster, 0.05, 0.01).verdict, PairedVerdict::kFaster);
  EXPECT_EQ(ComparePaired(a, slower, 0.05, 0.01).verdict, PairedVerdict::kSlower);
  EXPECT_EQ(ComparePaired(a, same, 0.05, 0.05).verdict, PairedVerdict::kSame);
  std::vector<double> wild = {1, 3, 0.3, 2, 0.5};
  EXPECT_EQ(ComparePaired({1, 1, 1, 1, 1}, wild, 0.05, 0.01).verdict, PairedVerdict::kUndecided);
}

TEST(Stats, StudentTQuantileMatchesTables) {
  EXPECT_NEAR(StudentTQuantile(0.05, 9), 2.262, 0.01);
  EXPECT_NEAR(StudentTQuantile(0.05, 30), 2.042, 0.005);
  EXPECT_NEAR(StudentTQuantile(0.10, 1000), 1.645, 0.005);
}

}  // namespace
}  // namespace referee::harness
