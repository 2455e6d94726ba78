#!/usr/bin/env bash
# Issue #7 item 3 on the GPU machine: CUDA candidates with the LibTorch entry point
# (harness/include/referee/abi/referee_torch_kernel.h) through `referee eval --device cuda`.
#   tests/gpu/torch_entry.sh [--sandbox auto|on|off] [TASK ...]     (default: gelu reduction)
# Builds harness/cupti and the candidates (harness_build.sh, torch ones against python3's torch,
# with the shim), the referee with harness/torch for the same torch, times one raw and one
# torch nvcc build, then evaluates each task's cuda_honest.cu and torch_honest.cu and prints
# the median beside the independent CUPTI kernel-time sum (torch_entry.py). Needs .deps/ for
# nlohmann (and seccomp with --sandbox on/auto). Writes $OUT/torch_entry.json when OUT is set.
set -euo pipefail
cd "$(dirname "$0")/../.."
SANDBOX=off
if [[ ${1:-} == --sandbox ]]; then SANDBOX=${2:?}; shift 2; fi
WITH_SANDBOX=ON
[[ $SANDBOX == off ]] && WITH_SANDBOX=OFF
REFEREE_PYTHON=$(command -v python3)
export REFEREE_PYTHON
echo "python: $REFEREE_PYTHON, torch $(python3 -c 'import torch; print(torch.__version__)')"
t0=$SECONDS
BUILD=$(tests/gpu/harness_build.sh build-device | tail -1)
echo "harness_build.sh: $((SECONDS - t0)) s"
RB=build-device-referee
tests/gpu/build_referee.sh "$RB" -DREFEREE_WITH_SANDBOX=$WITH_SANDBOX -DREFEREE_WITH_TORCH_SHIM=ON
# Compile time of the entry points alone (one nvcc at a time, what `referee eval` pays).
CF=$(python3 harness/torch/torch_config.py --cflags)
LIB=$(python3 harness/torch/torch_config.py --libdir)
/usr/bin/time -f "nvcc raw cuda_honest.cu (gelu): %e s, %M KB" nvcc -O3 -arch=sm_90 -shared \
  -Xcompiler -fPIC -Ikernels/gpu/common -Iharness/include kernels/gpu/gelu/candidates/cuda_honest.cu \
  -o /tmp/raw.so
# shellcheck disable=SC2086
/usr/bin/time -f "nvcc torch torch_honest.cu (gelu): %e s, %M KB" nvcc -O3 -arch=sm_90 \
  -shared -Xcompiler -fPIC $CF -D__CUDA_NO_HALF_OPERATORS__ \
  -D__CUDA_NO_HALF_CONVERSIONS__ -D__CUDA_NO_BFLOAT16_CONVERSIONS__ \
  -D__CUDA_NO_HALF2_OPERATORS__ --expt-relaxed-constexpr -Iharness/include \
  kernels/gpu/gelu/candidates/torch_honest.cu -o /tmp/torch.so -L"$LIB" -lc10 -lc10_cuda \
  -ltorch_cpu -ltorch_cuda -Xlinker -rpath="$LIB"
ARGS=(--lib "$BUILD/libreferee_cupti_inject.so" --tool "$BUILD/referee_cupti_attribute"
      --so-dir "$BUILD/candidates" --referee "$RB/cli/referee" --sandbox "$SANDBOX")
if [[ -n "${OUT:-}" ]]; then ARGS+=(--out "$OUT/torch_entry.json"); fi
if [[ $# -gt 0 ]]; then ARGS+=(--tasks "$@"); fi
PYTHONUNBUFFERED=1 python3 tests/gpu/torch_entry.py "${ARGS[@]}"
