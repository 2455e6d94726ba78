#include "referee/harness/generate.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <thread>
#include <vector>

#include "referee/base/strings.h"

namespace referee::harness {
namespace {

size_t LastDim(const ConcreteTensor& t) {
  return t.shape.empty() ? 1 : static_cast<size_t>(std::max<long long>(t.shape.back(), 1));
}

// xoshiro256+ (Blackman and Vigna), seeded through SplitMix64: a fast generator with one
// independent stream per chunk, so chunks fill in parallel and the values depend on the seed
// and the chunk index only, never on the thread count. mt19937_64 with a per-element dtype
// switch cost about 25 ns an element: 25 ms of parent time per call for a 1M-element input.
class Xoshiro256 {
 public:
  using result_type = uint64_t;
  explicit Xoshiro256(uint64_t seed) {
    for (uint64_t& s : s_) s = SplitMix(seed);
  }
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() {
    uint64_t result = s_[0] + s_[3];
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = (s_[3] << 45) | (s_[3] >> 19);
    return result;
  }

 private:
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t s_[4];
};

// Standard normal deviates by the ziggurat method (Marsaglia and Tsang, 2000: 128 layers, one
// 64-bit draw per deviate on the fast path, about 99% of draws). libstdc++'s polar method
// (a log, a square root and a division per pair, with rejection) cost ~15 ns a deviate: the
// largest part of the parent's per-call work for a 1M-element input.
class Ziggurat {
 public:
  static const Ziggurat& Get() {
    static const Ziggurat z;
    return z;
  }

  template <typename Rng>
  double operator()(Rng& rng) const {
    while (true) {
      uint64_t bits = rng();
      size_t layer = bits & 127;
      int32_t j = static_cast<int32_t>(bits >> 32);  // signed: the sign is the deviate's
      double x = j * w_[layer];
      if (static_cast<uint32_t>(std::abs(static_cast<int64_t>(j))) < k_[layer]) return x;
      if (layer == 0) return Tail(rng, j < 0);
      // The wedge between this layer's rectangle and the curve.
      double u = Uniform(rng);
      if (f_[layer] + u * (f_[layer - 1] - f_[layer]) < std::exp(-0.5 * x * x)) return x;
    }
  }

 private:
  static constexpr double kR = 3.442619855899;       // where the base layer's tail starts
  static constexpr double kV = 9.91256303526217e-3;  // the area of each layer
  static constexpr double kM = 2147483648.0;         // 2^31: the scale of the 32-bit draw

  Ziggurat() {
    double d = kR, t = kR;
    double q = kV / std::exp(-0.5 * d * d);
    k_[0] = static_cast<uint32_t>(d / q * kM);
    k_[1] = 0;
    w_[0] = q / kM;
    w_[127] = d / kM;
    f_[0] = 1.0;
    f_[127] = std::exp(-0.5 * d * d);
    for (int i = 126; i >= 1; --i) {
      d = std::sqrt(-2.0 * std::log(kV / d + std::exp(-0.5 * d * d)));
      k_[i + 1] = static_cast<uint32_t>(d / t * kM);
      t = d;
      f_[i] = std::exp(-0.5 * d * d);
      w_[i] = d / kM;
    }
  }

  template <typename Rng>
  static double Uniform(Rng& rng) {  // in (0, 1]
    return (static_cast<double>(rng() >> 11) + 1.0) * 0x1.0p-53;
  }

  // Beyond kR (Marsaglia's exponential rejection).
  template <typename Rng>
  static double Tail(Rng& rng, bool negative) {
    double x, y;
    do {
      x = -std::log(Uniform(rng)) / kR;
      y = -std::log(Uniform(rng));
    } while (y + y < x * x);
    return negative ? -(kR + x) : kR + x;
  }

  uint32_t k_[128];
  double w_[128], f_[128];
};

// Stores values[0..n) at elements first.. of dst; the dtype switch once per run, not per element.
void StoreRun(void* dst, size_t first, DType dt, const double* values, size_t n) {
  if (dt == DType::kFloat32) {
    float* out = static_cast<float*>(dst) + first;
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>(values[i]);
    return;
  }
  for (size_t i = 0; i < n; ++i) StoreElement(dst, first + i, dt, values[i]);
}

constexpr size_t kChunk = 1 << 16;         // elements per independent stream
constexpr size_t kParallelFrom = 1 << 18;  // smaller tensors fill on the calling thread

// Fills elements [0, n) chunk by chunk, each chunk from Xoshiro256(seed ^ chunk) through a
// fresh `make_draw()` (a callable rng -> double, with its own distribution state), on up to 8
// threads for large tensors.
template <typename MakeDraw>
void FillChunked(void* dst, size_t n, DType dt, uint64_t seed, MakeDraw make_draw) {
  size_t chunks = (n + kChunk - 1) / kChunk;
  auto fill = [&](size_t first_chunk, size_t step) {
    constexpr size_t kRun = 2048;  // on the stack: no allocation (nor page faults) per call
    double values[kRun];
    for (size_t c = first_chunk; c < chunks; c += step) {
      Xoshiro256 rng(seed ^ (0x9e3779b97f4a7c15ull * (c + 1)));
      auto draw = make_draw();
      size_t end = std::min(n, (c + 1) * kChunk);
      for (size_t begin = c * kChunk; begin < end; begin += kRun) {
        size_t count = std::min(kRun, end - begin);
        for (size_t i = 0; i < count; ++i) values[i] = draw(rng);
        StoreRun(dst, begin, dt, values, count);
      }
    }
  };
  size_t cores = std::max(1u, std::thread::hardware_concurrency());
  size_t threads = n < kParallelFrom ? 1 : std::min<size_t>({chunks, 8, cores});
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(fill, t, threads);
  fill(0, threads);
  for (std::thread& t : pool) t.join();
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
    double mean = g.kind == "default" ? 0.0 : g.a, stddev = g.kind == "default" ? 1.0 : g.b;
    const Ziggurat& z = Ziggurat::Get();
    FillChunked(dst, n, dt, rng(), [&] {
      return [&z, mean, stddev](Xoshiro256& r) { return mean + stddev * z(r); };
    });
  } else if (kind == "uniform") {
    FillChunked(dst, n, dt, rng(), [&] {
      return [lo, hi](Xoshiro256& r) {
        return lo + (hi - lo) * static_cast<double>(r() >> 11) * 0x1.0p-53;
      };
    });
  } else if (kind == "randint") {
    long long low = static_cast<long long>(lo), high = static_cast<long long>(hi);
    FillChunked(dst, n, dt, rng(), [&] {
      return [d = std::uniform_int_distribution<long long>(low, high - 1)](Xoshiro256& r) mutable {
        return static_cast<double>(d(r));
      };
    });
  } else if (kind == "sorted") {
    std::uniform_real_distribution<double> d(lo, hi);
    std::vector<double> row(cols);
    for (size_t r = 0; r * cols < n; ++r) {
      for (double& x : row) x = d(rng);
      std::sort(row.begin(), row.end());
      StoreRun(dst, r * cols, dt, row.data(), std::min(cols, n - r * cols));
    }
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

std::string InputProbe::Name() const {
  return kind == Kind::kTies ? "ties and zeros" : StrFormat("magnitudes x%g", scale);
}

std::vector<InputProbe> DefaultProbes(double scale) {
  InputProbe big;
  big.scale = scale;
  InputProbe ties;
  ties.kind = InputProbe::Kind::kTies;
  return {big, ties};
}

bool ProbeApplies(const ConcreteTensor& t) {
  const std::string& k = t.spec.generator.kind;
  return !t.spec.is_scalar && IsFloating(t.spec.dtype) &&
         (k == "default" || k == "normal" || k == "uniform" || k == "random");
}

void ApplyProbe(const ConcreteTensor& t, const InputProbe& probe, void* data) {
  if (!ProbeApplies(t)) return;
  // Half precision: keep squares and small sums finite (the reference must stay finite too).
  double cap = t.spec.dtype == DType::kFloat16 ? 16 : probe.scale;
  double scale = std::min(probe.scale, cap);
  for (size_t i = 0; i < t.numel; ++i) {
    double v = LoadElement(data, i, t.spec.dtype);
    // Ties: every value to -1, 0 or 1, so rows hold long runs of equal values and exact zeros.
    double out = probe.kind == InputProbe::Kind::kTies ? std::round(std::clamp(v, -1.0, 1.0))
                                                       : v * scale;
    StoreElement(data, i, t.spec.dtype, out);
  }
}

}  // namespace referee::harness
