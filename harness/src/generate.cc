#include "referee/harness/generate.h"

#include <algorithm>
#include <vector>

namespace referee::harness {
namespace {

size_t LastDim(const ConcreteTensor& t) {
  return t.shape.empty() ? 1 : static_cast<size_t>(std::max<long long>(t.shape.back(), 1));
}

}  // namespace

void GenerateTensor(const ConcreteTensor& t, std::mt19937_64& rng, void* dst) {
  const Generator& g = t.spec.generator;
  DType dt = t.spec.dtype;
  std::string kind = g.kind;
  if (kind == "default") {
    kind = IsFloating(dt) ? "normal" : dt == DType::kBool ? "randint" : "randint";
  }
  double lo = g.a, hi = g.b;
  if (g.kind == "default" && !IsFloating(dt)) {
    lo = 0;
    hi = dt == DType::kBool ? 2 : dt == DType::kUInt8 || dt == DType::kInt8 ? 100 : 1000;
  }
  size_t n = t.numel, cols = LastDim(t);
  if (kind == "normal") {
    std::normal_distribution<double> d(g.kind == "default" ? 0.0 : g.a,
                                       g.kind == "default" ? 1.0 : g.b);
    for (size_t k = 0; k < n; ++k) StoreElement(dst, k, dt, d(rng));
  } else if (kind == "uniform" || kind == "sorted") {
    std::uniform_real_distribution<double> d(lo, hi);
    std::vector<double> row(cols);
    for (size_t r = 0; r * cols < n; ++r) {
      for (double& x : row) x = d(rng);
      if (kind == "sorted") std::sort(row.begin(), row.end());
      for (size_t c = 0; c < cols && r * cols + c < n; ++c) StoreElement(dst, r * cols + c, dt, row[c]);
    }
  } else if (kind == "randint") {
    std::uniform_int_distribution<long long> d(static_cast<long long>(lo),
                                               static_cast<long long>(hi) - 1);
    for (size_t k = 0; k < n; ++k) StoreElement(dst, k, dt, static_cast<double>(d(rng)));
  } else if (kind == "causal_mask") {
    size_t rows = t.shape.size() >= 2 ? static_cast<size_t>(t.shape[t.shape.size() - 2]) : 1;
    for (size_t k = 0; k < n; ++k) {
      size_t c = k % cols, r = (k / cols) % std::max<size_t>(rows, 1);
      StoreElement(dst, k, dt, c <= r ? 1.0 : 0.0);
    }
  } else if (kind == "one_hot") {
    std::uniform_int_distribution<size_t> d(0, cols - 1);
    for (size_t r = 0; r * cols < n; ++r) {
      size_t hot = d(rng);
      for (size_t c = 0; c < cols; ++c) StoreElement(dst, r * cols + c, dt, c == hot ? 1.0 : 0.0);
    }
  } else if (kind == "arange") {
    for (size_t k = 0; k < n; ++k) StoreElement(dst, k, dt, static_cast<double>(k));
  } else {  // ones, zeros, scalar
    double v = kind == "ones" ? 1.0 : kind == "zeros" ? 0.0 : g.a;
    for (size_t k = 0; k < n; ++k) StoreElement(dst, k, dt, v);
  }
}

}  // namespace referee::harness
