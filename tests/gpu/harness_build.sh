#!/usr/bin/env bash
# Builds what the GPU tests need, on the GPU machine: harness/cupti on its own (the injection
# library and referee_cupti_attribute; nlohmann from .deps where the system has none) and every
# kernels/gpu CUDA candidate as a shared library. Prints the build directory's path last.
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
  nvcc -O3 -arch=sm_90 -shared -Xcompiler -fPIC -Ikernels/gpu/common -Iharness/include \
    -I"$(dirname "$cu")" "$cu" -o "$BUILD/candidates/${task}_${name}.so"
}
export -f compile
export BUILD
ls kernels/gpu/*/candidates/*.cu | xargs -P "$(nproc)" -I{} bash -c 'compile {}'
echo "$BUILD"
