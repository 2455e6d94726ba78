#include "referee/harness/expr.h"

#include <gtest/gtest.h>

namespace referee::harness {
namespace {

TEST(Expr, EvaluatesArithmeticWithPrecedence) {
  AxisValues axes = {{"M", 64}, {"N", 32}, {"K", 16}};
  EXPECT_DOUBLE_EQ(*EvalExpr("2*M*N*K", axes), 65536);
  EXPECT_DOUBLE_EQ(*EvalExpr("4*(M*K + K*N)", axes), 6144);
  EXPECT_DOUBLE_EQ(*EvalExpr("M // 3 + N % 5 - -1", axes), 21 + 2 + 1);
  EXPECT_DOUBLE_EQ(*EvalExpr("2 ** 3 ** 2", axes), 512);
  EXPECT_DOUBLE_EQ(*EvalExpr("max(M, N, 100) + min(K, 3) + ceil(1.5) + log2(N)", axes),
                   100 + 3 + 2 + 5);
  EXPECT_DOUBLE_EQ(*EvalExpr("1e3 + 2.5e-1", axes), 1000.25);
}

TEST(Expr, EvaluatesComparisonsForConstraints) {
  AxisValues axes = {{"H_qo", 32}, {"H_kv", 8}, {"H_r", 4}};
  EXPECT_EQ(*EvalExpr("H_qo == H_kv * H_r", axes), 1);
  EXPECT_EQ(*EvalExpr("H_qo < H_kv", axes), 0);
}

TEST(Expr, ReportsErrorsWithColumn) {
  AxisValues axes = {{"N", 4}};
  Expected<double> e = EvalExpr("N * Q", axes);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().message(), "expression 'N * Q': unknown axis 'Q' at column 5");
  EXPECT_FALSE(EvalExpr("N / 0", axes));
  EXPECT_FALSE(EvalExpr("(N + 1", axes));
  EXPECT_FALSE(EvalExpr("N +", axes));
  EXPECT_FALSE(EvalExpr("foo(N)", axes));
  EXPECT_FALSE(EvalExpr("N 4", axes));
}

TEST(Expr, IntExprRejectsFractionsAndNegatives) {
  AxisValues axes = {{"N", 5}};
  EXPECT_EQ(*EvalIntExpr("N*2", axes), 10);
  EXPECT_FALSE(EvalIntExpr("N/2", axes));
  EXPECT_FALSE(EvalIntExpr("0-N", axes));
}

}  // namespace
}  // namespace referee::harness
