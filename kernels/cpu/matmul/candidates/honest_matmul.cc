// A blocked i-k-j matmul on raw buffers.
#include <cstdint>
#include <cstring>

#include "referee/abi/referee_kernel.h"

extern "C" int referee_run(const referee_tensor* in, int32_t n_in, referee_tensor* out,
                           int32_t n_out) {
  if (n_in != 2 || n_out != 1) return 1;
  const float* a = static_cast<const float*>(in[0].data);
  const float* b = static_cast<const float*>(in[1].data);
  float* c = static_cast<float*>(out[0].data);
  int64_t m = in[0].shape[0], k = in[0].shape[1], n = in[1].shape[1];
  std::memset(c, 0, sizeof(float) * m * n);
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t p = 0; p < k; ++p) {
      float av = a[i * k + p];
      for (int64_t j = 0; j < n; ++j) c[i * n + j] += av * b[p * n + j];
    }
  }
  return 0;
}
