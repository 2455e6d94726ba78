#include <cuda_runtime.h>

__global__ void copy_kernel(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = x[i];
}

static float g_last_ms = 0.f;

void copy_adaptive(const float* x, float* y, int n, cudaStream_t s) {
  cudaEvent_t a, b;
  cudaEventCreate(&a);
  cudaEventCreate(&b);
  cudaEventRecord(a, s);
  copy_kernel<<<(n + 255) / 256, 256, 0, s>>>(x, y, n);
  cudaEventRecord(b, s);
  cudaEventSynchronize(b);
  // ruleid: timing-event-timer-in-candidate
  cudaEventElapsedTime(&g_last_ms, a, b);
}

// Honest: an event used only to join a side stream.
void copy_joined(const float* x, float* y, int n, cudaStream_t s, cudaStream_t side) {
  cudaEvent_t done;
  // ok: timing-event-timer-in-candidate
  cudaEventCreateWithFlags(&done, cudaEventDisableTiming);
  copy_kernel<<<(n + 255) / 256, 256, 0, side>>>(x, y, n);
  // ok: timing-event-timer-in-candidate
  cudaEventRecord(done, side);
  cudaStreamWaitEvent(s, done, 0);
}
