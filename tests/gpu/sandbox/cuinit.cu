// GPU control: the driver API initialises and sees exactly one device.
#include <cuda.h>
#include <cstdio>

int main() {
  CUresult rc = cuInit(0);
  int n = 0;
  if (rc == CUDA_SUCCESS) rc = cuDeviceGetCount(&n);
  const char* msg = nullptr;
  cuGetErrorString(rc, &msg);
  std::printf("cuInit: %s, devices: %d\n", msg ? msg : "?", n);
  return rc == CUDA_SUCCESS && n == 1 ? 0 : 1;
}
