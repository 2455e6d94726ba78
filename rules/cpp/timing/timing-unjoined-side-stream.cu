#include <cuda_runtime.h>
#include <cublas_v2.h>
#include "../testdata/mini_torch.h"

__global__ void square_kernel(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = x[i] * x[i];
}

void square_escape(const float* x, float* y, int n, cudaStream_t caller) {
  cudaStream_t side;
  cudaStreamCreateWithFlags(&side, cudaStreamNonBlocking);
  // ruleid: timing-unjoined-side-stream
  square_kernel<<<(n + 255) / 256, 256, 0, side>>>(x, y, n);
}

static cudaStream_t g_stream;

void square_global(const float* x, float* y, int n) {
  // ruleid: timing-unjoined-side-stream
  cudaMemcpyAsync(y, x, n * sizeof(float), cudaMemcpyDeviceToDevice, g_stream);
}

void gemm_on_pool(cublasHandle_t h, const float* a, float* c, int n) {
  at::cuda::CUDAStream pool = at::cuda::getStreamFromPool();
  // ruleid: timing-unjoined-side-stream
  cublasSetStream(h, pool.stream());
  float one = 1.f;
  cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &one, a, n, a, n, &one, c, n);
}

void square_late_join(const float* x, float* y, int n, cudaStream_t caller) {
  cudaStream_t side;
  cudaStreamCreate(&side);
  cudaStreamSynchronize(side);
  // ruleid: timing-unjoined-side-stream
  square_kernel<<<(n + 255) / 256, 256, 0, side>>>(x, y, n);
}

// Honest: launch on the caller's stream.
void square(const float* x, float* y, int n, cudaStream_t caller) {
  // ok: timing-unjoined-side-stream
  square_kernel<<<(n + 255) / 256, 256, 0, caller>>>(x, y, n);
}

// Honest: launch on the current stream.
void square_current(const float* x, float* y, int n) {
  cudaStream_t s = at::cuda::getCurrentCUDAStream().stream();
  // ok: timing-unjoined-side-stream
  square_kernel<<<(n + 255) / 256, 256, 0, s>>>(x, y, n);
}

// Honest: fork/join; the caller's stream waits on an event recorded on the side stream.
void square_forked(const float* x, float* y, int n, cudaStream_t caller) {
  cudaStream_t side;
  cudaEvent_t done;
  cudaStreamCreateWithFlags(&side, cudaStreamNonBlocking);
  cudaEventCreateWithFlags(&done, cudaEventDisableTiming);
  // ok: timing-unjoined-side-stream
  square_kernel<<<(n / 2 + 255) / 256, 256, 0, side>>>(x, y, n / 2);
  square_kernel<<<(n / 2 + 255) / 256, 256, 0, caller>>>(x + n / 2, y + n / 2, n / 2);
  cudaEventRecord(done, side);
  cudaStreamWaitEvent(caller, done, 0);
  cudaStreamDestroy(side);
}

// Honest: a pool stream synchronised before returning.
void square_pool_synced(const float* x, float* y, int n) {
  c10::cuda::CUDAStream pool = c10::cuda::getStreamFromPool();
  // ok: timing-unjoined-side-stream
  square_kernel<<<(n + 255) / 256, 256, 0, pool.stream()>>>(x, y, n);
  pool.synchronize();
}
