#include <cuda_runtime.h>
#include <mutex>

__global__ void add_kernel(const float* a, const float* b, float* c, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) c[i] = a[i] + b[i];
}

static int g_calls = 0;

void add_counted(const float* a, const float* b, float* c, int n, cudaStream_t s) {
  ++g_calls;
  // ruleid: persistent-state-static-gates-work
  if (g_calls > 15) return;  // after the checked calls, do nothing
  add_kernel<<<(n + 255) / 256, 256, 0, s>>>(a, b, c, n);
}

void add_flagged(const float* a, const float* b, float* c, int n, cudaStream_t s) {
  static bool done = false;
  // ruleid: persistent-state-static-gates-work
  if (!done) {
    add_kernel<<<(n + 255) / 256, 256, 0, s>>>(a, b, c, n);
  }
  done = true;
}

struct Phase {
  int step;
};
Phase g_phase;

void add_phase(const float* a, const float* b, float* c, int n) {
  g_phase.step += 1;
  // ruleid: persistent-state-static-gates-work
  switch (g_phase.step % 2) {
    case 0:
      add_kernel<<<(n + 255) / 256, 256>>>(a, b, c, n);
      break;
    default:
      break;
  }
}

// A device-side counter that makes later launches exit early.
__device__ unsigned int d_launches;

__global__ void add_once_kernel(const float* a, const float* b, float* c, int n) {
  // ruleid: persistent-state-static-gates-work
  if (d_launches > 0) return;
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) c[i] = a[i] + b[i];
  if (i == 0) atomicAdd(&d_launches, 1u);
}

// Honest: one-time setup guarded by a flag; the work runs on every call.
void add_honest(const float* a, const float* b, float* c, int n, cudaStream_t s) {
  static bool configured = false;
  // ok: persistent-state-static-gates-work
  if (!configured) {
    cudaFuncSetAttribute(add_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, 0);
    configured = true;
  }
  add_kernel<<<(n + 255) / 256, 256, 0, s>>>(a, b, c, n);
}

// Honest: the SM count is cached under an init guard and picks the launch shape.
static int g_sm_count = -1;
static int g_major = 0;
static std::once_flag g_props_once;

void add_tuned(const float* a, const float* b, float* c, int n, cudaStream_t s) {
  // ok: persistent-state-static-gates-work
  if (g_sm_count < 0) cudaDeviceGetAttribute(&g_sm_count, cudaDevAttrMultiProcessorCount, 0);
  std::call_once(g_props_once, [] { g_major = 9; });
  // ok: persistent-state-static-gates-work
  if (g_major >= 9) {
    add_kernel<<<g_sm_count * 4, 256, 0, s>>>(a, b, c, n);
  } else {
    add_kernel<<<(n + 255) / 256, 256, 0, s>>>(a, b, c, n);
  }
}

// Honest: a constant table read in a condition.
static const int kMaxN = 1 << 20;
void add_checked(const float* a, const float* b, float* c, int n) {
  // ok: persistent-state-static-gates-work
  if (n > kMaxN) return;
  add_kernel<<<(n + 255) / 256, 256>>>(a, b, c, n);
}

// Honest: the last-block-done reduction; __shared__ state lives for one launch.
__device__ unsigned int retirement_count = 0;
__global__ void sum_last_block(const float* x, float* partial, float* out, int n) {
  __shared__ bool is_last_block;
  if (threadIdx.x == 0) {
    partial[blockIdx.x] = x[blockIdx.x];
    __threadfence();
    unsigned int ticket = atomicInc(&retirement_count, gridDim.x);
    is_last_block = (ticket == gridDim.x - 1);
  }
  __syncthreads();
  // ok: persistent-state-static-gates-work
  if (!is_last_block) return;
  if (threadIdx.x == 0) {
    float s = 0.f;
    for (unsigned i = 0; i < gridDim.x; ++i) s += partial[i];
    *out = s;
    retirement_count = 0;
  }
}
