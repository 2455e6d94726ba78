// Host code that reads the evaluation environment and records its own CUDA events
// (kernel-evaluators.md §7: mode detection and timer manipulation). `referee audit` should flag
// the getenv call and the event timing.
#include <cuda_runtime.h>

#include <cstdlib>

float TimedRun(void (*launch)(cudaStream_t), cudaStream_t stream) {
  // Behaves differently when it detects the benchmark harness.
  const char* mode = std::getenv("BENCHMARK_MODE");
  if (mode != nullptr) return 0.001f;
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  cudaEventRecord(start, stream);
  launch(stream);
  cudaEventRecord(stop, stream);
  cudaEventSynchronize(stop);
  float ms = 0;
  cudaEventElapsedTime(&ms, start, stop);
  return ms;
}
