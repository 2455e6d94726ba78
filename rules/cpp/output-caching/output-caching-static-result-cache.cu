#include <cuda_runtime.h>
#include <map>
#include <string>
#include <unordered_map>
#include "../testdata/mini_torch.h"

__global__ void relu_kernel(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = x[i] > 0.f ? x[i] : 0.f;
}

// ruleid: output-caching-static-result-cache
static std::unordered_map<const void*, at::Tensor> g_results;

at::Tensor relu_cached(const at::Tensor& x) {
  auto hit = g_results.find(x.data_ptr());
  if (hit != g_results.end()) return hit->second;
  at::Tensor y = at::empty_like(x);
  relu_kernel<<<(x.numel() + 255) / 256, 256>>>(x.data_ptr<float>(), y.data_ptr<float>(),
                                                  x.numel());
  g_results[x.data_ptr()] = y;
  return y;
}

// Keyed on shape, holding the output: still an output cache.
// ruleid: output-caching-static-result-cache
std::map<std::vector<int64_t>, at::Tensor> shape_cache;

// A pointer-keyed set: "seen this input before, skip the work".
static std::unordered_map<const float*, int> seen_inputs;

void relu_once(const float* x, float* y, int n) {
  // ruleid: output-caching-static-result-cache
  if (seen_inputs.count(x)) return;
  relu_kernel<<<(n + 255) / 256, 256>>>(x, y, n);
  // ruleid: output-caching-static-result-cache
  seen_inputs[x] = 1;
}

static const float* last_input = nullptr;
static at::Tensor last_output;

at::Tensor relu_last(const at::Tensor& x) {
  // ruleid: output-caching-static-result-cache
  if (x.data_ptr<float>() == last_input) {
    // ruleid: output-caching-static-result-cache
    return last_output;
  }
  at::Tensor y = at::empty_like(x);
  relu_kernel<<<1, 256>>>(x.data_ptr<float>(), y.data_ptr<float>(), x.numel());
  last_input = x.data_ptr<float>();
  last_output = y;
  return y;
}

// Honest: a module-level cache of kernel attributes keyed on the kernel's address.
// ok: output-caching-static-result-cache
static std::unordered_map<const void*, cudaFuncAttributes> attr_cache;
// ok: output-caching-static-result-cache
static std::map<std::string, int> best_block_size;
// ok: output-caching-static-result-cache
static const float kTable[4] = {1.f, 2.f, 3.f, 4.f};
static float* workspace = nullptr;

at::Tensor relu_honest(const at::Tensor& x) {
  const void* key = (const void*)relu_kernel;
  // ok: output-caching-static-result-cache
  auto it = attr_cache.find(key);
  if (it == attr_cache.end()) {
    cudaFuncAttributes attr;
    cudaFuncGetAttributes(&attr, relu_kernel);
    attr_cache[key] = attr;
  }
  // ok: output-caching-static-result-cache
  if (workspace == nullptr) cudaMalloc(&workspace, 1024);
  at::Tensor y = at::empty_like(x);
  int block = best_block_size["relu"] > 0 ? best_block_size["relu"] : 256;
  relu_kernel<<<(x.numel() + block - 1) / block, block>>>(x.data_ptr<float>(),
                                                         y.data_ptr<float>(), x.numel());
  // ok: output-caching-static-result-cache
  return y;
}
