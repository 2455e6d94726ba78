#include <cuda_runtime.h>
#include <cstdlib>
#include <unistd.h>

#ifndef BLOCK
#define BLOCK 256
#endif

int pick_block() {
  // ruleid: environment-env-vars
  const char* mode = getenv("REFEREE_PHASE");
  if (mode != nullptr) {
    // ruleid: environment-env-vars
    setenv("CUDA_LAUNCH_BLOCKING", "0", 1);
  }
  // ruleid: environment-env-vars
  const char* fd = std::getenv("POPCORN_FD");
  // ruleid: environment-env-vars
  char** env = environ;
  return mode ? 128 : (fd && env ? 64 : 32);
}

// Honest: compile-time configuration and a device query.
int pick_block_honest() {
  int sms = 0;
  // ok: environment-env-vars
  cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0);
  // ok: environment-env-vars
  return sms > 100 ? BLOCK : BLOCK / 2;
}
