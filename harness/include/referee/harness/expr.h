// A small arithmetic expression evaluator for task files: FLOP and byte counts, axis
// expressions, shapes and constraints are written as expressions of the axes.
//
//   Expected<double> v = EvalExpr("2*M*N*K", {{"M", 64}, {"N", 64}, {"K", 32}});
//
// Grammar (precedence low to high): comparison (== != < <= > >=, value 1 or 0), + -, * / // %,
// unary -, ** (right-assoc.), primary: number, axis name, f(args) with f in min, max, ceil,
// floor, sqrt, log2, abs, or ( expr ).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "referee/base/expected.h"

namespace referee::harness {

using AxisValues = std::map<std::string, double>;

Expected<double> EvalExpr(std::string_view text, const AxisValues& axes);

// Integral expressions (shapes): the value must be a finite non-negative integer.
Expected<long long> EvalIntExpr(std::string_view text, const AxisValues& axes);

}  // namespace referee::harness
