// The LibTorch entry point of a C++ or CUDA candidate, destination-passing style (issue #7).
//
//   // my_gelu.cu (or a .cc/.cpp for the CPU backend)
//   #include "referee/abi/referee_torch_kernel.h"
//
//   REFEREE_TORCH_ENTRY void referee_run_torch(const std::vector<at::Tensor>& inputs,
//                                              std::vector<at::Tensor>& outputs) {
//     TORCH_CHECK(inputs.size() == 1 && outputs.size() == 1, "one input, one output");
//     const at::Tensor& x = inputs[0];
//     at::Tensor& y = outputs[0];
//     cudaStream_t stream = referee_torch_stream();   // .cu only: the caller's stream
//     my_kernel<<<grid, block, 0, stream>>>(x.data_ptr<at::BFloat16>(),
//                                           y.data_ptr<at::BFloat16>(), x.numel());
//     C10_CUDA_KERNEL_LAUNCH_CHECK();                 // or check cudaGetLastError()
//   }
//
// Contract (what the harness checks, harness/README.md):
// - `inputs` then `outputs`, in the order of the task's definition.json; tensors are contiguous,
//   on the evaluation device (CPU for --device cpu, the assigned GPU for --device cuda), with the
//   task's shapes and dtypes. A scalar input arrives as a 0-dim double tensor.
// - Outputs are pre-allocated and poisoned (NaN, or -7 for integers) by the harness: write every
//   element in place. Reassigning `outputs[i]` to a new tensor is an error (the harness's tensor
//   stays poisoned: poisoned-output). Inputs must not be modified (input-mutated).
// - GPU: all work must be ordered on the current stream (at::cuda / c10::cuda
//   getCurrentCUDAStream(), as referee_torch_stream() returns): work left on another stream
//   that the current one never waits for, or launched after returning, is rejected
//   (unjoined-stream, activity-outside-window). Return only once everything is enqueued.
// - Throwing (TORCH_CHECK) is a candidate error, reported with its message.
//
// Built by the harness (referee eval), in the sandbox's build profile, with the worker's torch:
//   .cu        nvcc -O3 -arch=sm_90 -std=c++17 (c++20 for torch >= 2.11) -shared -Xcompiler -fPIC
//              -isystem <torch>/include -D_GLIBCXX_USE_CXX11_ABI=<torch's> (and torch's
//              extension flags: -D__CUDA_NO_HALF_OPERATORS__ ... --expt-relaxed-constexpr)
//              -I harness/include ... -lc10 -lc10_cuda -ltorch_cpu -ltorch_cuda
//   .cc/.cpp   g++ -O2 -shared -fPIC (same torch flags and -std) ... -lc10 -ltorch_cpu
// linked with --require-defined=referee_run_torch (a source without it fails to build, with
// one line). The worker calls it through the trusted shim harness/torch (a torch custom op,
// torch.ops.referee.run_library). Compile time matters: include what you need (this header
// pulls in ATen/core/Tensor.h and, under nvcc, c10/cuda/CUDAStream.h only; no <torch/torch.h>).
#pragma once

#include <ATen/core/Tensor.h>

#include <vector>

#ifdef __CUDACC__
#include <c10/cuda/CUDAStream.h>
#endif

#define REFEREE_TORCH_ENTRY extern "C" __attribute__((visibility("default")))

// The symbol the harness resolves in the candidate's library.
#define REFEREE_TORCH_SYMBOL "referee_run_torch"

using referee_run_torch_fn = void (*)(const std::vector<at::Tensor>& inputs,
                                      std::vector<at::Tensor>& outputs);

#ifdef __CUDACC__
// The stream every piece of the candidate's GPU work must be ordered on.
inline cudaStream_t referee_torch_stream() {
  return c10::cuda::getCurrentCUDAStream().stream();
}
#endif
