/* The C entry point of a shared-library candidate (CPU backend), destination-passing style.
 *
 *   #include "referee/abi/referee_kernel.h"
 *   extern "C" int referee_run(const referee_tensor* in, int32_t n_in,
 *                              referee_tensor* out, int32_t n_out) {
 *     const float* x = (const float*)in[0].data; float* y = (float*)out[0].data; ...
 *     return 0;  // non-zero: the call failed
 *   }
 *
 * Inputs and outputs are dense row-major buffers in shared memory owned by the harness, in the
 * order of the task definition. Outputs are pre-filled with poison (NaN / 0x5A bytes); every
 * element must be written before the function returns, and no work may continue afterwards
 * (threads must be joined). Inputs must not be modified. Scalar inputs arrive as 0-d float64
 * tensors. The harness passes fresh buffers with fresh values on every call.
 */
#ifndef REFEREE_HARNESS_REFEREE_KERNEL_H_
#define REFEREE_HARNESS_REFEREE_KERNEL_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* dtype codes: as referee::harness::DType */
enum {
  REFEREE_FLOAT32 = 0, REFEREE_FLOAT64 = 1, REFEREE_FLOAT16 = 2, REFEREE_BFLOAT16 = 3,
  REFEREE_INT64 = 4, REFEREE_INT32 = 5, REFEREE_INT16 = 6, REFEREE_INT8 = 7,
  REFEREE_UINT8 = 8, REFEREE_BOOL = 9
};

typedef struct referee_tensor {
  void* data;
  int32_t dtype;
  int32_t ndim;
  const int64_t* shape;
  const int64_t* strides; /* in elements */
} referee_tensor;

typedef int (*referee_run_fn)(const referee_tensor* inputs, int32_t num_inputs,
                              referee_tensor* outputs, int32_t num_outputs);

#ifdef __cplusplus
}
#endif

#endif /* REFEREE_HARNESS_REFEREE_KERNEL_H_ */
