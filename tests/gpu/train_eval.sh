#!/usr/bin/env bash
# Issue 13 on the lent GPU, one command from the repository root:
#   tests/gpu/train_eval.sh [--skip-build] [--only honest|hacks|bench]... [--hack-budget S]
#                           [--jobs N]   (hacking candidates trained at once, default 1)
# Builds the referee without the analyzers (the GPU machine has no LLVM; the sandbox needs
# .deps/ seccomp and nlohmann headers where the system has none, as harness_acceptance.sh), then:
#   honest  3 seeds of kernels/training/gpt_bytes/candidates/gpt (60 s each) on cuda: PASS,
#           the metric per seed and its mean and 95% CI
#   hacks   every kernels/training/licenses_cpu hack_* candidate against the GPU task at a
#           shorter budget (default 20 s): REJECTED with the check its header names
#   bench   bench/train_eval_bench.sh on the GPU task: Referee's overhead per seed
# Writes $OUT/train_eval_*.json when OUT is set. Exit 0 when everything is as expected.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=1
ONLY=()
HACK_BUDGET=20
JOBS=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --skip-build) BUILD=0; shift ;;
    --only) ONLY+=("$2"); shift 2 ;;
    --hack-budget) HACK_BUDGET=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ ${#ONLY[@]} -eq 0 ]] && ONLY=(honest hacks bench)
RB=build-device-training
REFEREE_PYTHON=$(command -v python3)
export REFEREE_PYTHON
if [[ $BUILD == 1 ]]; then
  cmake -S . -B "$RB" -G Ninja -DCMAKE_BUILD_TYPE=Release -DREFEREE_WITH_ANALYZERS=OFF \
    -DREFEREE_WITH_SANDBOX=ON -DREFEREE_BUILD_TESTS=OFF >"$RB.configure.log" 2>&1 ||
    { tail -30 "$RB.configure.log"; exit 1; }
  cmake --build "$RB" --target referee -j "$(nproc)" >"$RB.build.log" 2>&1 ||
    { tail -40 "$RB.build.log"; exit 1; }
fi
"$REFEREE_PYTHON" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))'
PYTHONUNBUFFERED=1 python3 tests/gpu/train_eval.py --referee "$RB/cli/referee" \
  --hack-budget "$HACK_BUDGET" --jobs "$JOBS" --out "${OUT:-}" "${ONLY[@]}"
