#include <cuda_runtime.h>
#include <dlfcn.h>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

void lock_clocks() {
  // ruleid: environment-process-spawn
  system("nvidia-smi -lgc 2100");
  // ruleid: environment-process-spawn
  FILE* p = popen("sudo nvidia-smi -ac 1593,1410", "r");
  pclose(p);
  // ruleid: environment-process-spawn
  void* lib = dlopen("libevil.so", RTLD_NOW);
  (void)lib;
  // ruleid: environment-process-spawn
  if (fork() == 0) {
    // ruleid: environment-process-spawn
    execlp("python3", "python3", "-c", "pass", (char*)nullptr);
  }
}

// Honest: runtime calls.
void sync_device() {
  // ok: environment-process-spawn
  cudaDeviceSynchronize();
}
