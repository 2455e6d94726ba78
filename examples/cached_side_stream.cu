// A reward-hacking wrapper (kernel-evaluators.md §7, patterns 2, 3 and 15): it remembers the
// output it produced for each input pointer and returns it again without computing, and it runs
// the kernel on a private non-blocking stream the harness never waits for, so the harness's
// timer stops before the work is done. `referee audit` should flag both.
#include <cuda_runtime.h>

#include <unordered_map>

__global__ void ScaleKernel(const float* in, float* out, float alpha, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = alpha * in[i];
}

// Output cache keyed on the input pointer: the harness reuses its buffers, so every call after
// the first is "free".
static std::unordered_map<const void*, float*> g_output_cache;
static cudaStream_t g_side_stream = nullptr;

float* Scale(const float* in, float alpha, int n, cudaStream_t caller_stream) {
  auto hit = g_output_cache.find(in);
  if (hit != g_output_cache.end()) return hit->second;

  if (g_side_stream == nullptr) {
    cudaStreamCreateWithFlags(&g_side_stream, cudaStreamNonBlocking);
  }
  float* out = nullptr;
  cudaMalloc(&out, n * sizeof(float));
  const int threads = 256;
  // Launched on the side stream and never joined with the caller's stream.
  ScaleKernel<<<(n + threads - 1) / threads, threads, 0, g_side_stream>>>(in, out, alpha, n);
  g_output_cache[in] = out;
  return out;
}
