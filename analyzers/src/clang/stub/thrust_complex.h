// Referee stub of <thrust/complex.h> for no-toolkit mode (mapped as a virtual file).
#pragma once
namespace thrust {
template <class T>
struct complex {
  T re_, im_;
  __host__ __device__ complex(const T& re = T(), const T& im = T()) : re_(re), im_(im) {}
  template <class U>
  __host__ __device__ complex(const complex<U>& z) : re_(z.real()), im_(z.imag()) {}
  __host__ __device__ T real() const { return re_; }
  __host__ __device__ T imag() const { return im_; }
};
template <class T> __host__ __device__ T abs(const complex<T>& z);
template <class T> __host__ __device__ complex<T> polar(const T& m, const T& theta = T());
template <class T> __host__ __device__ complex<T> proj(const complex<T>& z);
template <class T, class U>
__host__ __device__ complex<T> pow(const complex<T>& x, const complex<U>& y);
template <class T, class U> __host__ __device__ complex<T> pow(const complex<T>& x, const U& y);
template <class T, class U> __host__ __device__ complex<U> pow(const T& x, const complex<U>& y);
#define REFEREE_THRUST_UNARY(F) template <class T> __host__ __device__ complex<T> F(const complex<T>& z);
REFEREE_THRUST_UNARY(exp) REFEREE_THRUST_UNARY(log) REFEREE_THRUST_UNARY(log10)
REFEREE_THRUST_UNARY(sqrt) REFEREE_THRUST_UNARY(sin) REFEREE_THRUST_UNARY(cos)
REFEREE_THRUST_UNARY(tan) REFEREE_THRUST_UNARY(asin) REFEREE_THRUST_UNARY(acos)
REFEREE_THRUST_UNARY(atan) REFEREE_THRUST_UNARY(sinh) REFEREE_THRUST_UNARY(cosh)
REFEREE_THRUST_UNARY(tanh) REFEREE_THRUST_UNARY(asinh) REFEREE_THRUST_UNARY(acosh)
REFEREE_THRUST_UNARY(atanh)
#undef REFEREE_THRUST_UNARY
}  // namespace thrust
