#include <cuda_runtime.h>
#include <cublas_v2.h>
#include <cudnn.h>
#include "../testdata/mini_torch.h"

void fast_gemm_setup(cublasHandle_t h, cudnnConvolutionDescriptor_t conv) {
  // ruleid: precision-reduced-precision-math
  cublasSetMathMode(h, CUBLAS_TF32_TENSOR_OP_MATH);
  // ruleid: precision-reduced-precision-math
  cudnnSetConvolutionMathType(conv, CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION);
  // ruleid: precision-reduced-precision-math
  at::globalContext().setAllowTF32CuBLAS(true);
  // ruleid: precision-reduced-precision-math
  at::globalContext().setFloat32MatmulPrecision("medium");
}

void gemm_fast(cublasHandle_t h, const float* a, float* c, int n) {
  float one = 1.f;
  cublasGemmEx(h, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &one, a, CUDA_R_32F, n, a, CUDA_R_32F, n,
               // ruleid: precision-reduced-precision-math
               &one, c, CUDA_R_32F, n, CUBLAS_COMPUTE_32F_FAST_TF32, CUBLAS_GEMM_DEFAULT);
}

// Honest: exact modes, restoring flags.
void exact_setup(cublasHandle_t h, const float* a, float* c, int n) {
  // ok: precision-reduced-precision-math
  cublasSetMathMode(h, CUBLAS_PEDANTIC_MATH);
  // ok: precision-reduced-precision-math
  at::globalContext().setAllowTF32CuBLAS(false);
  // ok: precision-reduced-precision-math
  at::globalContext().setFloat32MatmulPrecision("highest");
  float one = 1.f;
  cublasGemmEx(h, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &one, a, CUDA_R_32F, n, a, CUDA_R_32F, n,
               // ok: precision-reduced-precision-math
               &one, c, CUDA_R_32F, n, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
}
