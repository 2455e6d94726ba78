#!/usr/bin/env bash
# Where the time of one GPU evaluation goes, on the GPU machine: the bench's Triton FMA-loop task
# (~1 ms by default) through `referee eval --device cuda`, once with the sandbox (phases of the
# parent: start, candidate, per-call steps call.*) and once without it under
# REFEREE_WORKER_PROFILE (the sandbox cannot write the profile), printing the candidate worker's
# and the reference worker's top cProfile entries. Builds the referee like eval_matrix.sh.
#   tests/gpu/eval_profile.sh [KERNEL_US] [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET_US=${1:-1000}
OUTDIR=${2:-$(mktemp -d)}
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
print(b.write_task('$ROOT', b.calibrate('$ROOT', $TARGET_US)))")
run() {  # label, extra args...
  local label=$1; shift
  local t0 rc=0
  t0=$(date +%s.%N)
  "$RB/cli/referee" eval --task "$TASK" --candidate "$TASK/candidate.py" --device cuda --json \
    "$@" >"$OUTDIR/$label.json" 2>"$OUTDIR/$label.err" || rc=$?
  python3 - "$OUTDIR/$label.json" "$label" "$rc" "$t0" <<'PY'
import json, sys, time
path, label, rc, t0 = sys.argv[1:]
try:
    d = json.load(open(path))
except ValueError:
    sys.exit(f"{label}: rc {rc}, no JSON")
w = d["workloads"][0]
ph = w.get("phase_s", {})
calls = max(1, w.get("calls", 1))
steps = ", ".join(f"{k[5:]} {1e3 * v / calls:.2f}" for k, v in sorted(ph.items())
                  if k.startswith("call."))
timing = w.get("timing", {})
median = timing.get("candidate", {}).get("median")
print(f"{label}: rc {rc}, {time.time() - float(t0):.2f} s wall, {d['verdict']}, "
      f"{w.get('calls')} calls, median {1e6 * median if median else float('nan'):.1f} us, "
      f"reference {timing.get('reference_source')} {d.get('failure') or ''}")
print(f"  phases s: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(ph.items())
                                  if not k.startswith("call.")))
print(f"  per call ms: {steps}")
PY
}
run sandbox-measured --sandbox on --fresh-reference-timing
run sandbox-cached --sandbox on
run sandbox-cached-2 --sandbox on
REFEREE_WORKER_PROFILE="$OUTDIR/prof" run profiled --sandbox off --no-reference-timing
for f in "$OUTDIR"/prof.*.segments.json; do
  python3 - "$f" <<'PY'
import json, statistics, sys
d = json.load(open(sys.argv[1]))
print("== " + sys.argv[1].split("/")[-1] + ": worker steps, median ms (count): " + ", ".join(
    f"{k} {1e3 * statistics.median(v):.3f} ({len(v)})" for k, v in d.items()))
PY
done
for f in "$OUTDIR"/prof.*[0-9]; do
  echo "== $(basename "$f")"
  python3 -c "import pstats, sys; pstats.Stats(sys.argv[1]).sort_stats('tottime').print_stats(18)" \
    "$f" | grep -E "^ +[0-9]|ncalls|function calls" | cut -c1-150
done
