// Element types of task tensors, as SOL-ExecBench names them. Values are converted to double
// for generation and comparison; fp16/bf16 conversions are exact round-to-nearest-even.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "referee/base/expected.h"

namespace referee::harness {

enum class DType : int32_t {
  kFloat32 = 0, kFloat64 = 1, kFloat16 = 2, kBFloat16 = 3,
  kInt64 = 4, kInt32 = 5, kInt16 = 6, kInt8 = 7, kUInt8 = 8, kBool = 9,
};

Expected<DType> ParseDType(std::string_view name);  // also accepts "torch.float32"
std::string_view DTypeName(DType t);
size_t DTypeSize(DType t);
bool IsFloating(DType t);

double LoadElement(const void* base, size_t index, DType t);
void StoreElement(void* base, size_t index, DType t, double value);

// The poison pattern written into outputs before each call: NaN for floats, a sentinel for
// integers (0x5A bytes; for bool 0x5A is no valid value).
void FillPoison(void* base, size_t count, DType t);
// True when element `index` still holds the poison pattern.
bool IsPoison(const void* base, size_t index, DType t);

// Bulk forms for whole tensors (the per-element ones switch on the dtype per element, which
// costs more than the work on a million-element output):
// elements [first, first + count) as doubles into out[0, count).
void LoadRun(const void* base, size_t first, size_t count, DType t, double* out);
// The index of the first element holding the poison pattern, or count when none does.
size_t FindPoison(const void* base, size_t count, DType t);
// The index of the first NaN or infinite element, or count when none is (and for integers).
size_t FindNonFinite(const void* base, size_t count, DType t);

// Calls f(index, value) for every element, converting a run at a time; stops early when f
// returns false.
template <typename F>
void ForEachElement(const void* base, size_t count, DType t, F f) {
  constexpr size_t kRun = 4096;
  double values[kRun];
  for (size_t first = 0; first < count; first += kRun) {
    size_t n = count - first < kRun ? count - first : kRun;
    LoadRun(base, first, n, t, values);
    for (size_t i = 0; i < n; ++i) {
      if (!f(first + i, values[i])) return;
    }
  }
}

}  // namespace referee::harness
