#include <cuda_runtime.h>
#include <time.h>

extern "C" {
// ruleid: harness-tampering-timer-interposition
cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end) {
  *ms = 0.001f;
  return cudaSuccess;
}

// ruleid: harness-tampering-timer-interposition
int clock_gettime(clockid_t clk, struct timespec* ts) {
  ts->tv_sec = 0;
  ts->tv_nsec = 0;
  return 0;
}
}

__global__ void k(float* y) { y[threadIdx.x] = 0.f; }

// Honest: calling the real APIs and wrapping them under other names.
// ok: harness-tampering-timer-interposition
float time_kernel(float* y, cudaStream_t s) {
  cudaEvent_t a, b;
  cudaEventCreate(&a);
  cudaEventCreate(&b);
  cudaEventRecord(a, s);
  k<<<1, 32, 0, s>>>(y);
  cudaEventRecord(b, s);
  // ok: harness-tampering-timer-interposition
  cudaEventSynchronize(b);
  float ms = 0.f;
  cudaEventElapsedTime(&ms, a, b);
  return ms;
}

// ok: harness-tampering-timer-interposition
void check_cuda(cudaError_t e) {
  if (e != cudaSuccess) __builtin_trap();
}

// Honest: a method that happens to be called time().
struct Stopwatch {
  // ok: harness-tampering-timer-interposition
  double time() const { return 0.0; }
};
