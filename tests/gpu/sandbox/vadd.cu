// GPU control: a CUDA C++ kernel runs and computes the right answer.
#include <cstdio>
#include <vector>

__global__ void Add(const float* a, const float* b, float* c, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) c[i] = a[i] + b[i];
}

int main() {
  const int n = 1 << 20;
  std::vector<float> a(n, 1.0f), b(n, 2.0f), c(n, 0.0f);
  float *da, *db, *dc;
  cudaMalloc(&da, n * 4);
  cudaMalloc(&db, n * 4);
  cudaMalloc(&dc, n * 4);
  cudaMemcpy(da, a.data(), n * 4, cudaMemcpyHostToDevice);
  cudaMemcpy(db, b.data(), n * 4, cudaMemcpyHostToDevice);
  Add<<<(n + 255) / 256, 256>>>(da, db, dc, n);
  cudaError_t err = cudaMemcpy(c.data(), dc, n * 4, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (float x : c) bad += x != 3.0f;
  std::printf("vadd: %s, wrong elements: %d\n", cudaGetErrorString(err), bad);
  return err == cudaSuccess && bad == 0 ? 0 : 1;
}
