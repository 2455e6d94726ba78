#include <cuda_runtime.h>
#include <cublas_v2.h>
#include <cudnn.h>

void gemm(cublasHandle_t h, const float* a, const float* b, float* c, int n, cudaStream_t s) {
  float one = 1.f, zero = 0.f;
  // ok: reference-fallback-vendor-library
  cublasSetStream(h, s);
  // ruleid: reference-fallback-vendor-library
  cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &one, a, n, b, n, &zero, c, n);
  // ruleid: reference-fallback-vendor-library
  cublasGemmEx(h, CUBLAS_OP_N, CUBLAS_OP_N, n, n, n, &one, a, CUDA_R_32F, n, b, CUDA_R_32F, n,
               &zero, c, CUDA_R_32F, n, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
}

void conv(cudnnHandle_t h, cudnnTensorDescriptor_t xd, const float* x,
          cudnnFilterDescriptor_t wd, const float* w, cudnnConvolutionDescriptor_t cd,
          cudnnTensorDescriptor_t yd, float* y) {
  float one = 1.f, zero = 0.f;
  // ruleid: reference-fallback-vendor-library
  cudnnConvolutionForward(h, &one, xd, x, wd, w, cd, CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM,
                          nullptr, 0, &zero, yd, y);
}

// Honest: handle management only (the kernel does the work elsewhere).
cublasHandle_t make_handle(cudaStream_t s) {
  cublasHandle_t h;
  // ok: reference-fallback-vendor-library
  cublasCreate(&h);
  // ok: reference-fallback-vendor-library
  cublasSetMathMode(h, CUBLAS_PEDANTIC_MATH);
  return h;
}
