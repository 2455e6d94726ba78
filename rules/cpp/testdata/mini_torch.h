// A tiny stand-in for the LibTorch headers used by the rule tests, so each test parses in
// milliseconds instead of the ~13 s <torch/extension.h> takes. Names and namespaces follow
// LibTorch (at::Tensor, torch::empty, c10::cuda::CUDAStream, at::globalContext()), which is all
// the rules match on; the analyzer's own tests also run one rule on the real headers.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

typedef struct CUstream_st *cudaStream_t;

namespace c10 {
struct Half { unsigned short x; };
struct BFloat16 { unsigned short x; };
enum class ScalarType { Float, Half, BFloat16 };
using IntArrayRef = std::vector<int64_t>;
struct TensorOptions {
  TensorOptions dtype(ScalarType) const { return *this; }
};
namespace cuda {
class CUDAStream {
 public:
  cudaStream_t stream() const { return nullptr; }
  operator cudaStream_t() const { return nullptr; }
  void synchronize() const {}
};
CUDAStream getCurrentCUDAStream(int device = -1);
CUDAStream getStreamFromPool(bool high_priority = false, int device = -1);
struct CUDAStreamGuard {
  explicit CUDAStreamGuard(CUDAStream stream) {}
};
void c10_cuda_check_implementation(int err, const char* file, const char* fn, int line, bool a);
}  // namespace cuda
}  // namespace c10

#define C10_CUDA_CHECK(EXPR) \
  ::c10::cuda::c10_cuda_check_implementation((int)(EXPR), __FILE__, __func__, __LINE__, true)
#define C10_CUDA_KERNEL_LAUNCH_CHECK() C10_CUDA_CHECK(cudaGetLastError())

namespace at {
using c10::IntArrayRef;
using c10::ScalarType;
using c10::TensorOptions;
class TensorBase {
 public:
  template <class T> T* data_ptr() const { return nullptr; }
  void* data_ptr() const { return nullptr; }
  template <class T> const T* const_data_ptr() const { return nullptr; }
  void* mutable_data_ptr() const { return nullptr; }
  int64_t size(int64_t dim) const { return 0; }
  IntArrayRef sizes() const { return {}; }
  int64_t numel() const { return 0; }
  int64_t dim() const { return 0; }
  int64_t stride(int64_t dim) const { return 0; }
  TensorOptions options() const { return {}; }
  ScalarType scalar_type() const { return ScalarType::Float; }
  bool defined() const { return true; }
  bool is_cuda() const { return true; }
  bool is_contiguous() const { return true; }
};
class Tensor : public TensorBase {
 public:
  const Tensor& zero_() const { return *this; }
  const Tensor& fill_(double v) const { return *this; }
  const Tensor& copy_(const Tensor& src, bool non_blocking = false) const { return *this; }
  const Tensor& add_(const Tensor& other) const { return *this; }
  const Tensor& mul_(double v) const { return *this; }
  Tensor matmul(const Tensor& other) const { return *this; }
  Tensor softmax(int64_t dim) const { return *this; }
  Tensor sum() const { return *this; }
  Tensor contiguous() const { return *this; }
  Tensor view(IntArrayRef shape) const { return *this; }
  Tensor to(ScalarType t) const { return *this; }
  Tensor new_empty(IntArrayRef shape) const { return *this; }
};
Tensor empty(IntArrayRef size, TensorOptions options = {});
Tensor empty_like(const Tensor& self);
Tensor empty_strided(IntArrayRef size, IntArrayRef stride, TensorOptions options = {});
Tensor zeros(IntArrayRef size, TensorOptions options = {});
Tensor zeros_like(const Tensor& self);
Tensor matmul(const Tensor& a, const Tensor& b);
Tensor mm(const Tensor& a, const Tensor& b);
Tensor bmm(const Tensor& a, const Tensor& b);
Tensor addmm(const Tensor& c, const Tensor& a, const Tensor& b);
Tensor softmax(const Tensor& x, int64_t dim);
Tensor layer_norm(const Tensor& x, IntArrayRef shape);
Tensor relu(const Tensor& x);
Tensor conv2d(const Tensor& x, const Tensor& w);
Tensor add(const Tensor& a, const Tensor& b);
Tensor cat(const std::vector<Tensor>& xs, int64_t dim);
Tensor& matmul_out(Tensor& out, const Tensor& a, const Tensor& b);
Tensor _softmax(const Tensor& x, int64_t dim, bool half_to_float);
const Tensor& zero_(const Tensor& self);
namespace cuda::blas {
template <class T> void gemm(char ta, char tb, int64_t m, int64_t n, int64_t k, T alpha,
                             const T* a, int64_t lda, const T* b, int64_t ldb, T beta, T* c,
                             int64_t ldc);
}  // namespace cuda::blas
struct Context {
  void setAllowTF32CuBLAS(bool b);
  void setAllowTF32CuDNN(bool b);
  void setAllowFP16ReductionCuBLAS(bool b);
  void setFloat32MatmulPrecision(const std::string& s);
  bool allowTF32CuBLAS() const;
};
Context& globalContext();
namespace cuda {
using c10::cuda::CUDAStream;
using c10::cuda::getCurrentCUDAStream;
using c10::cuda::getStreamFromPool;
}  // namespace cuda
}  // namespace at

namespace torch {
using namespace at;
Tensor empty(at::IntArrayRef size, at::TensorOptions options = {});
Tensor empty_like(const Tensor& self);
Tensor zeros(at::IntArrayRef size, at::TensorOptions options = {});
namespace nn::functional {
Tensor softmax(const Tensor& x, int64_t dim);
Tensor linear(const Tensor& x, const Tensor& w);
}  // namespace nn::functional
}  // namespace torch
