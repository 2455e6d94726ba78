#!/usr/bin/env bash
# Issue #7 device acceptance, one command on the GPU machine:
#   tests/gpu/harness_acceptance.sh [--stand-in] [--only gelu spin ...]
# Builds harness/cupti with the CUDA candidates (harness_build.sh, for the independent
# measurement) and the referee binary, then evaluates every kernels/gpu candidate with
# `referee eval --device cuda`: every honest candidate must PASS with its median within 3% of the
# CUPTI kernel-time sum of an independent run, every hacking candidate must be REJECTED with the
# expected reason, and the 0.5 ms un-joined side-stream probe must read >= 500 us.
# --stand-in evaluates through tests/gpu/harness_driver.py instead (the pre-referee driver).
# Needs .deps/include/nlohmann where the system has no nlohmann headers.
# Writes $OUT/acceptance.json when OUT is set.
set -euo pipefail
cd "$(dirname "$0")/../.."
STAND_IN=0
if [[ "${1:-}" == "--stand-in" ]]; then STAND_IN=1; shift; fi
BUILD=$(tests/gpu/harness_build.sh build-device | tail -1)
ARGS=()
if [[ $STAND_IN == 0 ]]; then
  RB=build-device-referee
  cmake -S . -B "$RB" -G Ninja -DCMAKE_BUILD_TYPE=Release -DREFEREE_WITH_ANALYZERS=OFF \
    -DREFEREE_WITH_SANDBOX=OFF -DREFEREE_BUILD_TESTS=OFF >"$RB.configure.log" 2>&1 ||
    { tail -30 "$RB.configure.log"; exit 1; }
  cmake --build "$RB" --target referee -j "$(nproc)" >"$RB.build.log" 2>&1 ||
    { tail -40 "$RB.build.log"; exit 1; }
  # Workers run on the Python that has CUDA PyTorch and Triton.
  REFEREE_PYTHON=$(command -v python3)
  export REFEREE_PYTHON
  ARGS+=(--referee "$RB/cli/referee")
fi
if [[ -n "${OUT:-}" ]]; then ARGS+=(--out "$OUT/acceptance.json"); fi
PYTHONUNBUFFERED=1 python3 tests/gpu/harness_acceptance.py --lib "$BUILD/libreferee_cupti_inject.so" \
  --tool "$BUILD/referee_cupti_attribute" --so-dir "$BUILD/candidates" "${ARGS[@]}" "$@"
