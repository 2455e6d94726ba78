// The embedded CUDA stub header (stub/referee_cuda_stub.h), generated into the build tree.
#pragma once

namespace referee::analyzers::clang_internal {

const char* CudaStubText();

}  // namespace referee::analyzers::clang_internal
