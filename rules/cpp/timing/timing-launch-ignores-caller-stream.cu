#include <cuda_runtime.h>
#include "../testdata/mini_torch.h"

__global__ void axpy(float a, const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] += a * x[i];
}

void axpy_default(float a, const float* x, float* y, int n, cudaStream_t stream) {
  // ruleid: timing-launch-ignores-caller-stream
  axpy<<<(n + 255) / 256, 256>>>(a, x, y, n);
  // ruleid: timing-launch-ignores-caller-stream
  axpy<<<(n + 255) / 256, 256, 0, cudaStreamPerThread>>>(a, x, y, n);
  // ruleid: timing-launch-ignores-caller-stream
  axpy<<<(n + 255) / 256, 256, 0, 0>>>(a, x, y, n);
}

// Honest: the caller's stream, a copy of it, or the current stream.
void axpy_stream(float a, const float* x, float* y, int n, cudaStream_t stream) {
  // ok: timing-launch-ignores-caller-stream
  axpy<<<(n + 255) / 256, 256, 0, stream>>>(a, x, y, n);
  cudaStream_t s = stream;
  // ok: timing-launch-ignores-caller-stream
  axpy<<<(n + 255) / 256, 256, 0, s>>>(a, x, y, n);
}

void axpy_torch(float a, const at::Tensor& x, at::Tensor& y, c10::cuda::CUDAStream stream) {
  // ok: timing-launch-ignores-caller-stream
  axpy<<<1, 256, 0, stream.stream()>>>(a, x.data_ptr<float>(), y.data_ptr<float>(), x.numel());
}

// Honest: no stream in the interface; the default stream is the only one.
void axpy_plain(float a, const float* x, float* y, int n) {
  // ok: timing-launch-ignores-caller-stream
  axpy<<<(n + 255) / 256, 256>>>(a, x, y, n);
}
