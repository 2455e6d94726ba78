// A plain shared-memory tiled GEMM for the honest CUDA candidates (correct, not fast: no tensor
// cores). C[M,N] = epilogue(A[M,K] @ B[K,N]) in bf16 with fp32 accumulation, all row-major.
// Needs M % 64 == 0, N % 64 == 0, K % 16 == 0.
#pragma once
#include <cuda_bf16.h>

constexpr int kTile = 64;
constexpr int kTileK = 16;

struct IdentityEpilogue {
  __device__ float operator()(float v, int col) const { return v; }
};

template <typename Epilogue>
__global__ void __launch_bounds__(256)
    TiledGemmKernel(const __nv_bfloat16* __restrict__ a, const __nv_bfloat16* __restrict__ b,
                    __nv_bfloat16* __restrict__ c, int m, int n, int k, Epilogue epilogue) {
  __shared__ float as[kTileK][kTile + 4];
  __shared__ float bs[kTileK][kTile + 4];
  int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
  int row0 = blockIdx.y * kTile, col0 = blockIdx.x * kTile;
  float acc[4][4] = {};
  for (int k0 = 0; k0 < k; k0 += kTileK) {
    for (int i = threadIdx.x; i < kTile * kTileK; i += 256) {
      int ar = i / kTileK, ac = i % kTileK;
      as[ac][ar] = __bfloat162float(a[size_t(row0 + ar) * k + k0 + ac]);
      int br = i / kTile, bc = i % kTile;
      bs[br][bc] = __bfloat162float(b[size_t(k0 + br) * n + col0 + bc]);
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < kTileK; ++kk) {
      float av[4], bv[4];
#pragma unroll
      for (int i = 0; i < 4; ++i) av[i] = as[kk][ty + 16 * i], bv[i] = bs[kk][tx + 16 * i];
#pragma unroll
      for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j) acc[i][j] += av[i] * bv[j];
    }
    __syncthreads();
  }
#pragma unroll
  for (int i = 0; i < 4; ++i)
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      int r = row0 + ty + 16 * i, col = col0 + tx + 16 * j;
      c[size_t(r) * n + col] = __float2bfloat16(epilogue(acc[i][j], col));
    }
}

template <typename Epilogue>
inline int LaunchTiledGemm(const void* a, const void* b, void* c, int m, int n, int k,
                           Epilogue epilogue, cudaStream_t stream) {
  if (m % kTile || n % kTile || k % kTileK) return 3;
  dim3 grid(n / kTile, m / kTile);
  TiledGemmKernel<<<grid, 256, 0, stream>>>(static_cast<const __nv_bfloat16*>(a),
                                            static_cast<const __nv_bfloat16*>(b),
                                            static_cast<__nv_bfloat16*>(c), m, n, k, epilogue);
  return cudaGetLastError() == cudaSuccess ? 0 : 1;
}
