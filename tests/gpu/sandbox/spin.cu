// GPU attack (sandbox.md §8 row 25): a kernel that never ends. The wall clock must kill the
// pid namespace and the GPU must be usable afterwards.
#include <cstdio>

__global__ void Spin(volatile int* flag) {
  while (*flag == 0) {
  }
}

int main() {
  int* flag;
  cudaMalloc(&flag, 4);
  cudaMemset(flag, 0, 4);
  Spin<<<1, 1>>>(flag);
  std::printf("launched\n");
  std::fflush(stdout);
  cudaDeviceSynchronize();
  std::printf("returned (should not happen)\n");
  return 0;
}
