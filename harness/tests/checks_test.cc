// Every per-call check: an observation from a hacking candidate trips it, an honest one not.
#include "referee/harness/checks.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "referee/harness/score.h"

namespace referee::harness {
namespace {

class ChecksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tensor_.spec.name = "out";
    tensor_.spec.dtype = DType::kFloat32;
    tensor_.shape = {4};
    tensor_.numel = 4;
    out_ = {1, 2, 3, 4};
    ref_ = {1, 2, 3, 4};
    honest_.reply = Json{{"seq", 1}, {"ok", true}, {"t_ns", 10}, {"timer_ok", true}};
    honest_.full_check = true;
    honest_.input_hash_before = {42};
    honest_.input_hash_after = {42};
    honest_.outputs = {{&tensor_, out_.data()}};
    uint64_t h = HashBytes(out_.data(), 16);
    honest_.output_hash_at_return = {h};
    honest_.output_hash_after_delay = {h};
    honest_.reference = {std::string(reinterpret_cast<char*>(ref_.data()), 16)};
    honest_.tolerance = Tolerance{1e-5, 1e-5, 1.0, false};
  }
  // The id of the first check that fires, or "" when all pass.
  std::string FirstFailure(const CallObservation& c) {
    for (const auto& check : MakeCallChecks()) {
      if (auto f = check->Run(c)) return f->check;
    }
    return "";
  }

  ConcreteTensor tensor_;
  std::vector<float> out_, ref_;
  CallObservation honest_;
};

TEST_F(ChecksTest, HonestCallPassesEveryCheck) { EXPECT_EQ(FirstFailure(honest_), ""); }

TEST_F(ChecksTest, WorkerReportedLazyOutputFails) {
  CallObservation c = honest_;
  c.reply = Json{{"seq", 1}, {"ok", false}, {"check", "lazy-output"}, {"error", "subclass"}};
  EXPECT_EQ(FirstFailure(c), "lazy-output");
  c.reply["check"] = "made-up";  // an untrusted check name is not echoed
  EXPECT_EQ(FirstFailure(c), "candidate-error");
  c.reply["check"] = "persisting-l2";  // the GPU worker's check after each call
  EXPECT_EQ(FirstFailure(c), "persisting-l2");
}

TEST_F(ChecksTest, PatchedTimerFails) {
  CallObservation c = honest_;
  c.reply["timer_ok"] = false;
  EXPECT_EQ(FirstFailure(c), "timer-tamper");
}

TEST_F(ChecksTest, WorkerTimeLongerThanTheRoundTripFails) {
  CallObservation c = honest_;
  c.round_trip_s = 1e-3;
  c.reply["t_ns"] = 900000;  // 0.9 ms inside a 1 ms round trip: fine
  EXPECT_EQ(FirstFailure(c), "");
  c.reply["t_ns"] = 5000000;  // 5 ms claimed inside 1 ms: a forged reply
  EXPECT_EQ(FirstFailure(c), "timer-tamper");
}

TEST_F(ChecksTest, OutputChangingAfterReturnFails) {
  CallObservation c = honest_;
  c.output_hash_after_delay = {c.output_hash_at_return[0] ^ 1};
  EXPECT_EQ(FirstFailure(c), "work-after-return");
}

TEST_F(ChecksTest, ThreadLeftRunningFails) {
  CallObservation c = honest_;
  c.baseline_threads = 1;
  c.threads_after = 2;
  EXPECT_EQ(FirstFailure(c), "thread-growth");
}

TEST_F(ChecksTest, ChildProcessLeftRunningFails) {
  CallObservation c = honest_;
  c.children_after = 1;
  EXPECT_EQ(FirstFailure(c), "child-process");
}

TEST_F(ChecksTest, MutatedInputFails) {
  CallObservation c = honest_;
  c.input_hash_after = {43};
  EXPECT_EQ(FirstFailure(c), "input-mutated");
}

TEST_F(ChecksTest, UnwrittenOutputFailsOnEveryCallNotOnlyFullChecks) {
  CallObservation c = honest_;
  c.full_check = false;
  c.reference.clear();
  FillPoison(out_.data(), 1, DType::kFloat32);
  EXPECT_EQ(FirstFailure(c), "poisoned-output");
}

TEST_F(ChecksTest, InfinityFails) {
  out_[1] = INFINITY;
  EXPECT_EQ(FirstFailure(honest_), "non-finite");
  honest_.tolerance.allow_nonfinite = true;
  EXPECT_EQ(FirstFailure(honest_), "wrong-output");  // the reference has no inf there
}

TEST_F(ChecksTest, AllZeroOutputFailsWhereReferenceIsNonZero) {
  out_ = {0, 0, 0, 0};
  honest_.outputs = {{&tensor_, out_.data()}};
  EXPECT_EQ(FirstFailure(honest_), "all-zero-output");
  ref_ = {0, 0, 0, 0};
  honest_.reference = {std::string(reinterpret_cast<char*>(ref_.data()), 16)};
  EXPECT_EQ(FirstFailure(honest_), "");
}

TEST_F(ChecksTest, WrongValuesFailOnlyBeyondToleranceAndRatio) {
  out_[2] = 3.00001f;
  EXPECT_EQ(FirstFailure(honest_), "");
  out_[2] = 3.5f;
  EXPECT_EQ(FirstFailure(honest_), "wrong-output");
  honest_.tolerance.matched_ratio = 0.75;  // 3 of 4 within tolerance is enough
  EXPECT_EQ(FirstFailure(honest_), "");
  honest_.full_check = false;  // not selected: values are not compared
  honest_.tolerance.matched_ratio = 1.0;
  EXPECT_EQ(FirstFailure(honest_), "");
}

// Across run borders (4096 elements): the matched ratio, the first element with the largest
// error, and non-finite pairs matching only when allowed and only like with like.
TEST(CompareOutput, CountsMatchesAndNamesTheFirstWorstElement) {
  ConcreteTensor t;
  t.spec.dtype = DType::kFloat32;
  t.numel = 10000;
  t.shape = {10000};
  std::vector<float> out(10000, 1.0f), ref(10000, 1.0f);
  Tolerance tol{1e-3, 0, 1.0, false};
  EXPECT_FALSE(CompareOutput(t, out.data(), ref.data(), tol));
  out[5000] = 3.0f;  // the worst, twice: the first is named
  out[9000] = 3.0f;
  out[100] = 1.5f;
  std::optional<std::string> why = CompareOutput(t, out.data(), ref.data(), tol);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("0.9997 of elements"), std::string::npos) << *why;
  EXPECT_NE(why->find("max abs error 2 at element 5000"), std::string::npos) << *why;
  tol.matched_ratio = 0.999;
  EXPECT_FALSE(CompareOutput(t, out.data(), ref.data(), tol));

  std::vector<float> o2(10000, 1.0f), r2(10000, 1.0f);
  o2[4096] = r2[4096] = std::numeric_limits<float>::quiet_NaN();
  o2[7] = r2[7] = std::numeric_limits<float>::infinity();
  Tolerance strict{1e-3, 0, 1.0, false}, lenient{1e-3, 0, 1.0, true};
  EXPECT_TRUE(CompareOutput(t, o2.data(), r2.data(), strict));
  EXPECT_FALSE(CompareOutput(t, o2.data(), r2.data(), lenient));
  o2[7] = -std::numeric_limits<float>::infinity();  // unlike infinities never match
  EXPECT_TRUE(CompareOutput(t, o2.data(), r2.data(), lenient));
}

TEST(Score, SolScoreMatchesSolExecBench) {
  EXPECT_DOUBLE_EQ(*SolScore(10, 2, 10), 0.5);   // at the baseline
  EXPECT_DOUBLE_EQ(*SolScore(2, 2, 10), 1.0);    // at speed of light
  EXPECT_NEAR(*SolScore(6, 2, 10), 2.0 / 3, 1e-12);
  EXPECT_GT(*SolScore(1, 2, 10), 1.0);           // faster than SOL: flagged by the caller
  EXPECT_FALSE(SolScore(5, 10, 8));              // baseline below SOL: undefined
}

TEST(Score, RooflineUsesTheBindingResource) {
  DevicePeaks p;
  p.flops_per_s = 1e9;
  p.dram_bytes_per_s = 1e8;
  p.cache_bytes_per_s = 1e9;
  Roofline r = ComputeRoofline(/*flops=*/1e6, /*bytes=*/1e6, p);
  EXPECT_DOUBLE_EQ(r.floor_s, 1e-3);
  EXPECT_DOUBLE_EQ(r.sol_s, 1e-2);
  EXPECT_FALSE(PeaksFromJson(Json{{"flops_per_s", 1}}, "x.json"));
  EXPECT_DOUBLE_EQ(PeaksFromJson(PeaksToJson(p), "x.json")->dram_bytes_per_s, 1e8);
}

// The precision probe: float16 arithmetic is far from float64 next to the float32 reference;
// a float32 result summed in another order is not.
TEST(ComparePrecisionTest, HalfPrecisionIsFlaggedOtherSummationOrdersAreNot) {
  const size_t n = 256;
  ConcreteTensor t;
  t.spec.name = "out";
  t.spec.dtype = DType::kFloat32;
  t.shape = {static_cast<long long>(n)};
  t.numel = n;
  std::vector<double> exact(n);
  std::vector<float> ref(n), other_order(n), half(n);
  for (size_t i = 0; i < n; ++i) {
    // sum_{k<64} (i+1)/(k+3): summed forward in float32 (the reference), backward in float32
    // (an honest kernel), and forward with float16 rounding after every step.
    double e = 0;
    float fwd = 0, bwd = 0, h = 0;
    for (int k = 0; k < 64; ++k) {
      double term = static_cast<double>(i + 1) / (k + 3);
      e += term;
      fwd += static_cast<float>(term);
      bwd += static_cast<float>(static_cast<double>(i + 1) / (66 - k));
      h = static_cast<float>(static_cast<_Float16>(h + static_cast<float>(term)));
    }
    exact[i] = e;
    ref[i] = fwd;
    other_order[i] = bwd;
    half[i] = h;
  }
  EXPECT_FALSE(ComparePrecision(t, other_order.data(), ref.data(), exact.data()));
  EXPECT_FALSE(ComparePrecision(t, ref.data(), ref.data(), exact.data()));
  std::optional<CheckFailure> f = ComparePrecision(t, half.data(), ref.data(), exact.data());
  ASSERT_TRUE(f);
  EXPECT_EQ(f->check, "reduced-precision");
  EXPECT_NE(f->reason.find("further from a float64 evaluation"), std::string::npos) << f->reason;
  t.spec.dtype = DType::kFloat16;  // a float16 task's tolerance is already at its dtype
  EXPECT_FALSE(ComparePrecision(t, half.data(), ref.data(), exact.data()));
}

}  // namespace
}  // namespace referee::harness
