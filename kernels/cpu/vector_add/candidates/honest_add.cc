#include <cstdint>

#include "referee/abi/referee_kernel.h"

extern "C" int referee_run(const referee_tensor* in, int32_t n_in, referee_tensor* out,
                           int32_t n_out) {
  if (n_in != 2 || n_out != 1 || in[0].dtype != REFEREE_FLOAT32) return 1;
  const float* x = static_cast<const float*>(in[0].data);
  const float* y = static_cast<const float*>(in[1].data);
  float* o = static_cast<float*>(out[0].data);
  int64_t n = in[0].shape[0];
  for (int64_t i = 0; i < n; ++i) o[i] = x[i] + y[i];
  return 0;
}
