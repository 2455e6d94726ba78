#include "referee/harness/dtype.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "referee/base/strings.h"

namespace referee::harness {
namespace {

struct DTypeInfo {
  DType type;
  const char* name;
  size_t size;
};

constexpr DTypeInfo kTypes[] = {
    {DType::kFloat32, "float32", 4}, {DType::kFloat64, "float64", 8},
    {DType::kFloat16, "float16", 2}, {DType::kBFloat16, "bfloat16", 2},
    {DType::kInt64, "int64", 8},     {DType::kInt32, "int32", 4},
    {DType::kInt16, "int16", 2},     {DType::kInt8, "int8", 1},
    {DType::kUInt8, "uint8", 1},     {DType::kBool, "bool", 1},
};

uint32_t FloatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
float BitsFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

uint16_t FloatToHalf(float f) {
  uint32_t x = FloatBits(f);
  uint32_t sign = (x >> 16) & 0x8000;
  uint32_t mant = x & 0x7fffff;
  int exp = static_cast<int>((x >> 23) & 0xff);
  if (exp == 0xff) return static_cast<uint16_t>(sign | 0x7c00 | (mant ? 0x200 : 0));
  int e = exp - 127 + 15;
  if (e >= 0x1f) return static_cast<uint16_t>(sign | 0x7c00);
  if (e <= 0) {
    if (e < -10) return static_cast<uint16_t>(sign);
    mant |= 0x800000;
    int shift = 14 - e;
    uint32_t half = mant >> shift;
    uint32_t rem = mant & ((1u << shift) - 1);
    uint32_t mid = 1u << (shift - 1);
    if (rem > mid || (rem == mid && (half & 1))) ++half;
    return static_cast<uint16_t>(sign | half);
  }
  uint32_t half = (static_cast<uint32_t>(e) << 10) | (mant >> 13);
  uint32_t rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (half & 1))) ++half;
  return static_cast<uint16_t>(sign | half);
}

float HalfToFloat(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  if (exp == 0x1f) return BitsFloat(sign | 0x7f800000 | (mant << 13));
  if (exp == 0) {
    float v = std::ldexp(static_cast<float>(mant), -24);
    return sign ? -v : v;
  }
  return BitsFloat(sign | ((exp + 112) << 23) | (mant << 13));
}

uint16_t FloatToBf16(float f) {
  uint32_t x = FloatBits(f);
  if (std::isnan(f)) return static_cast<uint16_t>((x >> 16) | 0x40);
  x += 0x7fff + ((x >> 16) & 1);
  return static_cast<uint16_t>(x >> 16);
}

}  // namespace

Expected<DType> ParseDType(std::string_view name) {
  if (StartsWith(name, "torch.")) name.remove_prefix(6);
  if (name == "float") name = "float32";
  if (name == "double") name = "float64";
  if (name == "half") name = "float16";
  if (name == "long") name = "int64";
  if (name == "int") name = "int32";
  for (const DTypeInfo& info : kTypes) {
    if (name == info.name) return info.type;
  }
  return InvalidArgumentError(StrFormat("unsupported dtype '%.*s' (CPU backend supports float64/"
                                        "32/16, bfloat16, int64/32/16/8, uint8, bool)",
                                        static_cast<int>(name.size()), name.data()));
}

std::string_view DTypeName(DType t) { return kTypes[static_cast<int>(t)].name; }
size_t DTypeSize(DType t) { return kTypes[static_cast<int>(t)].size; }
bool IsFloating(DType t) {
  return t == DType::kFloat32 || t == DType::kFloat64 || t == DType::kFloat16 ||
         t == DType::kBFloat16;
}

double LoadElement(const void* base, size_t i, DType t) {
  const char* p = static_cast<const char*>(base) + i * DTypeSize(t);
  switch (t) {
    case DType::kFloat32: { float v; std::memcpy(&v, p, 4); return v; }
    case DType::kFloat64: { double v; std::memcpy(&v, p, 8); return v; }
    case DType::kFloat16: { uint16_t v; std::memcpy(&v, p, 2); return HalfToFloat(v); }
    case DType::kBFloat16: {
      uint16_t v;
      std::memcpy(&v, p, 2);
      return BitsFloat(static_cast<uint32_t>(v) << 16);
    }
    case DType::kInt64: { int64_t v; std::memcpy(&v, p, 8); return static_cast<double>(v); }
    case DType::kInt32: { int32_t v; std::memcpy(&v, p, 4); return v; }
    case DType::kInt16: { int16_t v; std::memcpy(&v, p, 2); return v; }
    case DType::kInt8: return static_cast<int8_t>(*p);
    case DType::kUInt8: return static_cast<uint8_t>(*p);
    case DType::kBool: return static_cast<uint8_t>(*p);
  }
  return 0;
}

void StoreElement(void* base, size_t i, DType t, double v) {
  char* p = static_cast<char*>(base) + i * DTypeSize(t);
  switch (t) {
    case DType::kFloat32: { float f = static_cast<float>(v); std::memcpy(p, &f, 4); return; }
    case DType::kFloat64: std::memcpy(p, &v, 8); return;
    case DType::kFloat16: {
      uint16_t h = FloatToHalf(static_cast<float>(v));
      std::memcpy(p, &h, 2);
      return;
    }
    case DType::kBFloat16: {
      uint16_t h = FloatToBf16(static_cast<float>(v));
      std::memcpy(p, &h, 2);
      return;
    }
    case DType::kInt64: { int64_t x = static_cast<int64_t>(v); std::memcpy(p, &x, 8); return; }
    case DType::kInt32: { int32_t x = static_cast<int32_t>(v); std::memcpy(p, &x, 4); return; }
    case DType::kInt16: { int16_t x = static_cast<int16_t>(v); std::memcpy(p, &x, 2); return; }
    case DType::kInt8: *p = static_cast<char>(static_cast<int8_t>(v)); return;
    case DType::kUInt8: *p = static_cast<char>(static_cast<uint8_t>(v)); return;
    case DType::kBool: *p = v != 0 ? 1 : 0; return;
  }
}

void FillPoison(void* base, size_t count, DType t) {
  if (IsFloating(t)) {
    // One element's NaN bytes, repeated.
    char nan[8];
    StoreElement(nan, 0, t, std::numeric_limits<double>::quiet_NaN());
    size_t size = DTypeSize(t);
    char* out = static_cast<char*>(base);
    if (count == 0) return;
    std::memcpy(out, nan, size);
    for (size_t done = 1; done < count;) {  // doubling copies
      size_t n = std::min(done, count - done);
      std::memcpy(out + done * size, out, n * size);
      done += n;
    }
    return;
  }
  std::memset(base, 0x5A, count * DTypeSize(t));
}

void LoadRun(const void* base, size_t first, size_t count, DType t, double* out) {
  switch (t) {
    case DType::kFloat32: {
      const char* p = static_cast<const char*>(base) + first * 4;
      for (size_t i = 0; i < count; ++i) {
        float v;
        std::memcpy(&v, p + i * 4, 4);
        out[i] = v;
      }
      return;
    }
    case DType::kBFloat16: {
      const char* p = static_cast<const char*>(base) + first * 2;
      for (size_t i = 0; i < count; ++i) {
        uint16_t v;
        std::memcpy(&v, p + i * 2, 2);
        out[i] = BitsFloat(static_cast<uint32_t>(v) << 16);
      }
      return;
    }
    default:
      for (size_t i = 0; i < count; ++i) out[i] = LoadElement(base, first + i, t);
  }
}

namespace {

// The first element of a floating tensor that is NaN (nan_only) or not finite, or count. A run
// at a time: a branch-free test of the whole run (it vectorises), then a search of the run
// that failed it.
// On the bits: the exponent all ones is an infinity (mantissa 0) or a NaN (mantissa not 0).
template <typename Bits>
size_t FindSpecialBits(const void* base, size_t count, Bits exponent, bool nan_only) {
  constexpr size_t kRun = 4096;
  const Bits magnitude = static_cast<Bits>(std::numeric_limits<Bits>::max() >> 1);  // no sign
  const char* bytes = static_cast<const char*>(base);
  Bits run[kRun];
  auto special = [&](Bits b) {
    return nan_only ? (b & magnitude) > exponent : (b & exponent) == exponent;
  };
  for (size_t first = 0; first < count; first += kRun) {
    size_t n = std::min(kRun, count - first);
    std::memcpy(run, bytes + first * sizeof(Bits), n * sizeof(Bits));
    bool any = false;
    for (size_t i = 0; i < n; ++i) any |= special(run[i]);
    if (!any) continue;
    for (size_t i = 0; i < n; ++i) {
      if (special(run[i])) return first + i;
    }
  }
  return count;
}

size_t FindFloatMatching(const void* base, size_t count, DType t, bool nan_only) {
  switch (t) {
    case DType::kFloat32:
      return FindSpecialBits<uint32_t>(base, count, 0x7f800000u, nan_only);
    case DType::kBFloat16:
      return FindSpecialBits<uint16_t>(base, count, 0x7f80u, nan_only);
    case DType::kFloat16:
      return FindSpecialBits<uint16_t>(base, count, 0x7c00u, nan_only);
    case DType::kFloat64:
      return FindSpecialBits<uint64_t>(base, count, 0x7ff0000000000000ull, nan_only);
    default:
      break;
  }
  constexpr size_t kRun = 4096;
  double values[kRun];
  for (size_t first = 0; first < count; first += kRun) {
    size_t n = std::min(kRun, count - first);
    LoadRun(base, first, n, t, values);
    bool any = false;
    for (size_t i = 0; i < n; ++i) {
      double v = values[i];
      any |= nan_only ? v != v : !(v - v == 0);  // v - v is NaN exactly for NaN and inf
    }
    if (!any) continue;
    for (size_t i = 0; i < n; ++i) {
      if (nan_only ? std::isnan(values[i]) : !std::isfinite(values[i])) return first + i;
    }
  }
  return count;
}

}  // namespace

size_t FindNonFinite(const void* base, size_t count, DType t) {
  return IsFloating(t) ? FindFloatMatching(base, count, t, false) : count;
}

size_t FindPoison(const void* base, size_t count, DType t) {
  if (IsFloating(t)) return FindFloatMatching(base, count, t, true);
  for (size_t i = 0; i < count; ++i) {
    if (IsPoison(base, i, t)) return i;
  }
  return count;
}

bool IsPoison(const void* base, size_t i, DType t) {
  if (IsFloating(t)) return std::isnan(LoadElement(base, i, t));
  const unsigned char* p = static_cast<const unsigned char*>(base) + i * DTypeSize(t);
  for (size_t b = 0; b < DTypeSize(t); ++b) {
    if (p[b] != 0x5A) return false;
  }
  return true;
}

}  // namespace referee::harness
