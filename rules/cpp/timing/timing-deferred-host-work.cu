#include <cuda_runtime.h>
#include <pthread.h>
#include <future>
#include <mutex>
#include <thread>

__global__ void fill_kernel(float* y, int n, float v) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = v;
}

void fill_in_thread(float* y, int n) {
  // ruleid: timing-deferred-host-work
  std::thread worker([=] { fill_kernel<<<(n + 255) / 256, 256>>>(y, n, 1.f); });
  // ruleid: timing-deferred-host-work
  worker.detach();
}

void fill_async(float* y, int n) {
  // ruleid: timing-deferred-host-work
  auto done = std::async(std::launch::async, [=] { fill_kernel<<<1, 256>>>(y, n, 1.f); });
}

void* worker_main(void* arg) { return arg; }

void fill_pthread(float* y, int n) {
  pthread_t t;
  // ruleid: timing-deferred-host-work
  pthread_create(&t, nullptr, worker_main, y);
}

void CUDART_CB_like(void* data) {}

void fill_callback(float* y, int n, cudaStream_t s) {
  fill_kernel<<<(n + 255) / 256, 256, 0, s>>>(y, n, 1.f);
  // ruleid: timing-deferred-host-work
  cudaLaunchHostFunc(s, CUDART_CB_like, y);
}

// Honest: one-time initialisation and a lock, all inside the call.
static std::once_flag g_once;
static std::mutex g_mutex;
void fill(float* y, int n, cudaStream_t s) {
  // ok: timing-deferred-host-work
  std::call_once(g_once, [] { cudaFuncSetAttribute(fill_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, 0); });
  // ok: timing-deferred-host-work
  std::lock_guard<std::mutex> lock(g_mutex);
  fill_kernel<<<(n + 255) / 256, 256, 0, s>>>(y, n, 1.f);
  // ok: timing-deferred-host-work
  cudaStreamSynchronize(s);
}
