/* The entry point of a CUDA candidate (GPU backend), destination-passing style.
 *
 *   #include "referee/abi/referee_gpu_kernel.h"
 *   extern "C" REFEREE_GPU_EXPORT int referee_run_gpu(const referee_tensor* in, int32_t n_in,
 *                                                     referee_tensor* out, int32_t n_out,
 *                                                     void* stream) {
 *     my_kernel<<<grid, block, 0, (cudaStream_t)stream>>>(...);
 *     return cudaGetLastError() == cudaSuccess ? 0 : 1;
 *   }
 *
 * Same tensor descriptors as the CPU entry point (harness/include/referee/abi/referee_kernel.h)
 * but `data` are device pointers. Inputs come first, then the pre-allocated outputs, in the
 * order of the task's definition.json. All work must be ordered on `stream` (launch there, or
 * make it wait for your other streams): work left on a stream the caller never joins, or
 * launched after returning, is rejected (harness/cupti attribution: unjoined-stream,
 * activity-outside-window). Outputs arrive poisoned; inputs must not be modified.
 * Build: nvcc -O3 -arch=sm_90 -shared -Xcompiler -fPIC -I<harness/include>.
 */
#ifndef REFEREE_GPU_KERNEL_H_
#define REFEREE_GPU_KERNEL_H_

#include "referee/abi/referee_kernel.h"

#define REFEREE_GPU_EXPORT __attribute__((visibility("default")))

#ifdef __cplusplus
extern "C" {
#endif

typedef int (*referee_run_gpu_fn)(const referee_tensor* inputs, int32_t num_inputs,
                                  referee_tensor* outputs, int32_t num_outputs, void* stream);

static inline int64_t referee_numel(const referee_tensor* t) {
  int64_t n = 1;
  for (int32_t i = 0; i < t->ndim; ++i) n *= t->shape[i];
  return n;
}

#ifdef __cplusplus
}
#endif

#endif /* REFEREE_GPU_KERNEL_H_ */
