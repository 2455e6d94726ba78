#!/usr/bin/env bash
# Issue 17 item 3 on the GPU machine: every SOL-ExecBench solution and input kind through
# `referee eval --device cuda` and `referee dataset --device cuda`.
#   tests/gpu/sol_kinds.sh [--sandbox auto|on|off] [--sol-dir DIR]
# Builds the referee (harness/cupti, and harness/torch's record for python3's torch, which the
# cuda_cpp build uses), then runs tests/gpu/sol_kinds.py: the cuda_cpp solution of
# harness/tests/testdata/solexecbench/rmsnorm (kernel.cu + main.cpp, binding torch, built by
# torch.utils.cpp_extension) PASSES; custom_inputs_entrypoint and safetensors problems PASS and
# the custom-input reuser is REJECTED (wrong-output); destination passing both ways; a dataset
# of them through `referee dataset`. With --sol-dir (a checkout of NVIDIA/SOL-ExecBench, never
# committed) also its examples/: each PASSES or, where the machine lacks a package or headers
# (CUTLASS, cuDNN, CuTe DSL, cuTile), exits 2 with one line naming what is missing.
# Prints one row per case; exit 0 only when every row is as expected. $OUT/sol_kinds.json when
# OUT is set.
set -euo pipefail
cd "$(dirname "$0")/../.."
SANDBOX=on
SOL_DIR=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --sandbox) SANDBOX=${2:?}; shift 2 ;;
    --sol-dir) SOL_DIR=${2:?}; shift 2 ;;
    *) echo "usage: $0 [--sandbox auto|on|off] [--sol-dir DIR]" >&2; exit 2 ;;
  esac
done
WITH_SANDBOX=ON
[[ $SANDBOX == off ]] && WITH_SANDBOX=OFF
REFEREE_PYTHON=$(command -v python3)
export REFEREE_PYTHON
echo "python: $REFEREE_PYTHON, torch $(python3 -c 'import torch; print(torch.__version__, torch.version.cuda)')"
echo "ninja: $(command -v ninja || python3 -c 'import ninja, os; print(os.path.join(ninja.BIN_DIR, "ninja"))' 2>/dev/null || echo none)"
RB=build-device-referee
tests/gpu/build_referee.sh "$RB" -DREFEREE_WITH_SANDBOX=$WITH_SANDBOX -DREFEREE_WITH_TORCH_SHIM=ON
# torch.utils.cpp_extension needs ninja on PATH; pip's ninja lives beside the interpreter.
if ! command -v ninja >/dev/null; then
  NINJA_BIN=$(python3 -c 'import ninja, os; print(ninja.BIN_DIR)' 2>/dev/null || true)
  [[ -n $NINJA_BIN ]] && export PATH="$NINJA_BIN:$PATH"
fi
ARGS=(--referee "$RB/cli/referee" --sandbox "$SANDBOX")
[[ -n $SOL_DIR ]] && ARGS+=(--sol-dir "$SOL_DIR")
[[ -n ${OUT:-} ]] && ARGS+=(--out "$OUT/sol_kinds.json")
PYTHONUNBUFFERED=1 python3 tests/gpu/sol_kinds.py "${ARGS[@]}"
