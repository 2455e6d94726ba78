#!/usr/bin/env bash
# One GPU task through `referee eval --device cuda` in each launcher/timing configuration, on the
# GPU machine: --sandbox on|off x reference timing on|off, --quick, one eval each (60 s cap).
# Prints verdict, failure and the start-up phases per row; a start-up that hangs names where
# (the worker's stack dump). Builds the referee with the sandbox (.deps/ seccomp headers where
# the system has none) into build-device-referee.
#   tests/gpu/eval_matrix.sh [ITERS]     (the bench's Triton FMA-loop task; ITERS sets its length)
set -euo pipefail
cd "$(dirname "$0")/../.."
ITERS=${1:-2000}
RB=build-device-referee
REFEREE_PYTHON=$(command -v python3)
export REFEREE_PYTHON
cmake -S . -B "$RB" -G Ninja -DCMAKE_BUILD_TYPE=Release -DREFEREE_WITH_ANALYZERS=OFF \
  -DREFEREE_TORCH_PYTHON="$REFEREE_PYTHON" -DREFEREE_WITH_SANDBOX=ON \
  -DREFEREE_BUILD_TESTS=OFF >"$RB.configure.log" 2>&1 || { tail -30 "$RB.configure.log"; exit 1; }
cmake --build "$RB" --target referee -j "$(nproc)" >"$RB.build.log" 2>&1 ||
  { tail -40 "$RB.build.log"; exit 1; }
ROOT=$(mktemp -d)
chmod 755 "$ROOT"  # 0700 by default: the sandbox user could not reach the task
TASK=$(python3 -c "import sys; sys.path.insert(0, 'bench'); import gpu_timing_bench as b; \
print(b.write_task('$ROOT', $ITERS))")
for sandbox in on off; do
  for timing in "" --no-reference-timing; do
    t0=$(date +%s.%N)
    rc=0
    timeout 60 "$RB/cli/referee" eval --task "$TASK" --candidate "$TASK/candidate.py" \
      --device cuda --sandbox "$sandbox" $timing --quick --json >"$ROOT/r.json" 2>"$ROOT/r.err" ||
      rc=$?
    wall=$(python3 -c "import time; print('%.1f' % (time.time() - $t0))")
    python3 - "$ROOT/r.json" "$sandbox" "${timing:-reference-timing}" "$rc" "$wall" <<'PY'
import json, sys
path, sandbox, timing, rc, wall = sys.argv[1:]
try:
    d = json.load(open(path))
except ValueError:
    print(f"sandbox {sandbox}, {timing}: rc {rc}, {wall} s, no JSON")
    sys.exit(0)
w = d["workloads"][0] if d.get("workloads") else {}
print(f"sandbox {sandbox}, {timing}: rc {rc}, {wall} s, {d['verdict']} {d.get('failure') or ''} "
      f"phases {w.get('phase_s')}")
PY
    [[ $rc -eq 0 ]] || tail -c 600 "$ROOT/r.err"
  done
done
