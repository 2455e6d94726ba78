#!/usr/bin/env bash
# Builds what the GPU tests need, on the GPU machine: harness/cupti on its own (the injection
# library and referee_cupti_attribute; nlohmann from .deps where the system has none) and every
# kernels/gpu CUDA candidate as a shared library (those with the LibTorch entry point,
# referee_run_torch, against python3's torch, with the shim libreferee_torch_shim.so that the
# independent measurement calls them through). Prints the build directory's path last.
#   tests/gpu/harness_build.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build-device}
cmake -S harness/cupti -B "$BUILD" -G Ninja -DREFEREE_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=Release >"$BUILD.configure.log" 2>&1 || { cat "$BUILD.configure.log"; exit 1; }
cmake --build "$BUILD" -j "$(nproc)" >"$BUILD.build.log" 2>&1 || { cat "$BUILD.build.log"; exit 1; }
test -f "$BUILD/libreferee_cupti_inject.so" || { echo "no injection library (CUPTI missing?)"; exit 1; }
mkdir -p "$BUILD/candidates"
compile() {
  local cu=$1 task name
  task=$(basename "$(dirname "$(dirname "$cu")")")
  name=$(basename "$cu" .cu)
  if grep -q referee_run_torch "$cu"; then  # as harness/src/workers/torch_build.cc: TorchNvccCommand
    # shellcheck disable=SC2086
    nvcc -O3 -arch=sm_90 -shared -Xcompiler -fPIC $TORCH_CFLAGS \
      -D__CUDA_NO_HALF_OPERATORS__ -D__CUDA_NO_HALF_CONVERSIONS__ \
      -D__CUDA_NO_BFLOAT16_CONVERSIONS__ -D__CUDA_NO_HALF2_OPERATORS__ --expt-relaxed-constexpr \
      -Ikernels/gpu/common -Iharness/include -I"$(dirname "$cu")" "$cu" \
      -o "$BUILD/candidates/${task}_${name}.so" -L"$TORCH_LIB" -lc10 -lc10_cuda -ltorch_cpu \
      -ltorch_cuda -Xlinker -rpath="$TORCH_LIB"
    return
  fi
  nvcc -O3 -arch=sm_90 -shared -Xcompiler -fPIC -Ikernels/gpu/common -Iharness/include \
    -I"$(dirname "$cu")" "$cu" -o "$BUILD/candidates/${task}_${name}.so"
}
TORCH_CFLAGS="" TORCH_LIB=""
if grep -lq referee_run_torch kernels/gpu/*/candidates/*.cu; then
  TORCH_CFLAGS=$(python3 harness/torch/torch_config.py --cflags)
  TORCH_LIB=$(python3 harness/torch/torch_config.py --libdir)
  # shellcheck disable=SC2086
  g++ -O2 -shared -fPIC $TORCH_CFLAGS -Iharness/include \
    harness/torch/src/referee_torch_shim.cc -o "$BUILD/libreferee_torch_shim.so" \
    -L"$TORCH_LIB" -lc10 -ltorch_cpu -Wl,-rpath,"$TORCH_LIB"
fi
export -f compile
export BUILD TORCH_CFLAGS TORCH_LIB
ls kernels/gpu/*/candidates/*.cu | xargs -P "$(nproc)" -I{} bash -c 'compile {}'
echo "$BUILD"
