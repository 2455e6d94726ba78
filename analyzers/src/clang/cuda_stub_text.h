// The embedded stub headers (stub/*.h), generated into the build tree.
#pragma once

namespace referee::analyzers::clang_internal {

const char* CudaStubText();
// stub/thrust_complex.h: <thrust/complex.h> as LibTorch's c10/util/complex.h uses it.
const char* ThrustComplexStubText();

}  // namespace referee::analyzers::clang_internal
