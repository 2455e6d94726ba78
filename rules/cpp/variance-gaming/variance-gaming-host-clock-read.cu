#include <cuda_runtime.h>
#include <chrono>
#include <thread>
#include <time.h>

__global__ void k(float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  // ok: variance-gaming-host-clock-read
  long long t0 = clock64();
  if (i < n) y[i] = (float)t0;
}

static double g_last_call = 0;

void run(float* y, int n, cudaStream_t s) {
  timespec ts;
  // ruleid: variance-gaming-host-clock-read
  clock_gettime(CLOCK_MONOTONIC, &ts);
  double now = ts.tv_sec + 1e-9 * ts.tv_nsec;
  bool warmup = now - g_last_call > 0.5;
  g_last_call = now;
  // ruleid: variance-gaming-host-clock-read
  auto start = std::chrono::steady_clock::now();
  (void)start;
  if (warmup) {
    // ruleid: variance-gaming-host-clock-read
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  k<<<(n + 255) / 256, 256, 0, s>>>(y, n);
  // ok: variance-gaming-host-clock-read
  cudaStreamSynchronize(s);
}
