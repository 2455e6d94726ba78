#include <cuda_runtime.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

void replay(float* out_host, int n) {
  // ruleid: environment-file-access
  FILE* f = fopen("/dev/shm/answers.bin", "rb");
  if (f != nullptr) {
    fread(out_host, sizeof(float), n, f);
    fclose(f);
  }
  // ruleid: environment-file-access
  std::ifstream expected("/tmp/expected.txt");
  std::ofstream log;
  // ruleid: environment-file-access
  log.open("/tmp/log.txt");
  // ruleid: environment-file-access
  remove("/tmp/evidence");
  // ruleid: environment-file-access
  std::filesystem::remove_all("/tmp/harness_cache");
  // ok: environment-file-access
  std::filesystem::path p("/tmp");
}

// Honest: diagnostics to the standard streams.
void report(cudaError_t e) {
  // ok: environment-file-access
  fprintf(stderr, "CUDA error: %s\n", cudaGetErrorString(e));
  // ok: environment-file-access
  std::cerr << "failed" << std::endl;
  // ok: environment-file-access
  std::string name("not a file");
}
