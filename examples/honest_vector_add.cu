// An honest custom kernel: every output element is computed from the inputs on every call, on the
// stream the caller passes in. `referee audit` should report nothing here.
#include <cuda_runtime.h>

__global__ void VectorAddKernel(const float* a, const float* b, float* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = a[i] + b[i];
}

// Launches on the caller's stream and returns the launch status to the caller.
cudaError_t VectorAdd(const float* a, const float* b, float* out, int n, cudaStream_t stream) {
  const int threads = 256;
  const int blocks = (n + threads - 1) / threads;
  VectorAddKernel<<<blocks, threads, 0, stream>>>(a, b, out, n);
  return cudaGetLastError();
}
