#!/usr/bin/env bash
# GPU timing benchmark (issue #7), on the GPU machine: builds the referee without the analyzers
# (Release; the sandbox with .deps/ headers where the system has none), then runs
# bench/gpu_timing_bench.py against `referee eval --device cuda`.
#   bench/gpu_timing_bench.sh [--sandbox auto|on|off] [--evals N] [--out FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
RB=build-device-referee
cmake -S . -B "$RB" -G Ninja -DCMAKE_BUILD_TYPE=Release -DREFEREE_WITH_ANALYZERS=OFF \
  -DREFEREE_BUILD_TESTS=OFF >"$RB.configure.log" 2>&1 || { tail -30 "$RB.configure.log"; exit 1; }
cmake --build "$RB" --target referee -j "$(nproc)" >"$RB.build.log" 2>&1 ||
  { tail -40 "$RB.build.log"; exit 1; }
REFEREE_PYTHON=$(command -v python3)
export REFEREE_PYTHON
PYTHONUNBUFFERED=1 python3 bench/gpu_timing_bench.py --referee "$RB/cli/referee" "$@"
