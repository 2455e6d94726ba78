#!/usr/bin/env bash
# Issue #7 device acceptance, one command on the GPU machine:
#   tests/gpu/harness_acceptance.sh [--sandbox auto|on|off] [--only gelu spin ...]
# Builds harness/cupti with the CUDA candidates (harness_build.sh, for the independent
# measurement) and the referee binary, then evaluates every kernels/gpu candidate with
# `referee eval --device cuda`: every honest candidate must PASS with its median within 3% of the
# CUPTI kernel-time sum of an independent run, every hacking candidate must be REJECTED with the
# expected reason, and the 0.5 ms un-joined side-stream probe must read >= 500 us.
# The independent measurement is the test fixture tests/gpu/fixtures/independent_driver.py.
# --sandbox (default off) is passed to `referee eval`; auto/on build the referee with the
# sandbox (needs .deps/ seccomp where the system has no libseccomp headers), so candidate
# workers run under the python profile with the GPU assigned and the trace pipe passed in.
# Needs .deps/include/nlohmann where the system has no nlohmann headers.
# Writes $OUT/acceptance.json when OUT is set.
set -euo pipefail
cd "$(dirname "$0")/../.."
SANDBOX=off
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sandbox) SANDBOX=${2:?--sandbox needs auto, on or off}; shift 2 ;;
    *) break ;;
  esac
done
WITH_SANDBOX=ON
[[ $SANDBOX == off ]] && WITH_SANDBOX=OFF
BUILD=$(tests/gpu/harness_build.sh build-device | tail -1)
ARGS=()
# Workers run on the Python that has CUDA PyTorch and Triton; LibTorch candidates are built
# against its torch (harness/torch records it at configure time).
REFEREE_PYTHON=$(command -v python3)
export REFEREE_PYTHON
RB=build-device-referee
cmake -S . -B "$RB" -G Ninja -DCMAKE_BUILD_TYPE=Release -DREFEREE_WITH_ANALYZERS=OFF \
  -DREFEREE_TORCH_PYTHON="$REFEREE_PYTHON" \
  -DREFEREE_WITH_SANDBOX=$WITH_SANDBOX -DREFEREE_BUILD_TESTS=OFF >"$RB.configure.log" 2>&1 ||
  { tail -30 "$RB.configure.log"; exit 1; }
cmake --build "$RB" --target referee -j "$(nproc)" >"$RB.build.log" 2>&1 ||
  { tail -40 "$RB.build.log"; exit 1; }
ARGS+=(--referee "$RB/cli/referee" --sandbox "$SANDBOX")
# Measured peaks for this GPU (bf16 matmul, DRAM and L2 copies, with headroom): every
# `referee eval` below scores against them, so honest candidates must clear the floor.
REFEREE_DEVICE_DIR=$PWD/$RB/devices
export REFEREE_DEVICE_DIR
"$RB/cli/referee" calibrate --device cuda --seconds 3
if [[ -n "${OUT:-}" ]]; then ARGS+=(--out "$OUT/acceptance.json"); fi
PYTHONUNBUFFERED=1 python3 tests/gpu/harness_acceptance.py --lib "$BUILD/libreferee_cupti_inject.so" \
  --tool "$BUILD/referee_cupti_attribute" --so-dir "$BUILD/candidates" "${ARGS[@]}" "$@"
