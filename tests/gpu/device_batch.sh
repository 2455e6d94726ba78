#!/usr/bin/env bash
# Every device check the open issues need, in one call of the lent GPU (the session's device time
# is short and each machine start costs minutes): one build, then each step under its own time
# limit. Only a few files come back from a device call (2026-12-07: 8 of 22 did, the others
# "left out (count)"), so $OUT gets one log per step and every detail file (reports, JSON) goes
# into $OUT/details.tar.gz, rewritten after each step: whatever kills the call, what ran is kept.
#   tests/gpu/device_batch.sh [STEP...]     steps: probes train-honest train-hacks search
#                                           (default: all, in that order)
#   probes        honest GPU candidates evaluated with the robustness and precision probes on
#                 (referee eval --device cuda --sandbox on): each must PASS; then softmax with
#                 --require-own-kernels: the honest kernels PASS, an ATen fallback is
#                 REJECTED library-kernels; then the probes' hacks (tests/gpu/fixtures): a
#                 softmax without the max subtraction REJECTED robustness, one rounded through
#                 fp16 REJECTED reduced-precision, a GELU leaving an escaped helper process
#                 REJECTED child-process
#   train-honest  tests/gpu/train_eval.sh --only honest (issue 13: 3 seeds, metric, CI, overhead)
#   train-hacks   tests/gpu/train_eval.sh --only hacks, HACK_JOBS (4) at once, HACK_BUDGET (10) s
#   search        tests/gpu/search_demo.sh --candidates 8 (issue 19)
#   search-local  the same through the local executor, one GPU slot (issue 14)
# Needs .deps/ carried (seccomp and nlohmann headers, libseccomp.a, sqlite3.h).
set -uo pipefail
cd "$(dirname "$0")/../.."
LOGS=${OUT:-/tmp/referee-device-batch}
DETAILS=$(mktemp -d /tmp/referee-device-details-XXXXXX)
mkdir -p "$LOGS"
STEPS=("$@")
[[ ${#STEPS[@]} -eq 0 ]] && STEPS=(probes train-honest train-hacks search)
REFEREE_PYTHON=$(command -v python3)
export REFEREE_PYTHON
RB=build-device-referee
WITH_SEARCH=OFF  # SQLite and search/ only when the search step runs: a shorter build
[[ " ${STEPS[*]} " == *" search"* ]] && WITH_SEARCH=ON
t0=$(date +%s)
cmake -S . -B "$RB" -G Ninja -DCMAKE_BUILD_TYPE=Release -DREFEREE_WITH_ANALYZERS=OFF \
  -DREFEREE_TORCH_PYTHON="$REFEREE_PYTHON" -DREFEREE_WITH_SANDBOX=ON \
  -DREFEREE_WITH_SEARCH=$WITH_SEARCH -DREFEREE_BUILD_TESTS=OFF >"$LOGS/configure.log" 2>&1 || { tail -30 "$LOGS/configure.log"; exit 1; }
cmake --build "$RB" --target referee -j "$(nproc)" >"$LOGS/build.log" 2>&1 ||
  { tail -40 "$LOGS/build.log"; exit 1; }
# The per-issue scripts build into their own directories with the same options: share this one.
for d in build-device-training build-device-search; do ln -sfn "$RB" "$d"; done
mv "$LOGS/configure.log" "$LOGS/build.log" "$DETAILS/"
echo "build: $(( $(date +%s) - t0 )) s"
export REFEREE_DEVICE_DIR=$PWD/$RB/devices
status=0

probes() {
  "$RB/cli/referee" calibrate --device cuda --seconds 3 || return 1
  local bad=0 c task
  for c in gelu/candidates/triton_honest.py softmax/candidates/cuda_honest.cu \
           softmax/candidates/triton_honest.py reduction/candidates/triton_honest.py \
           rmsnorm/candidates/triton_honest.py; do
    task=kernels/gpu/${c%%/*}
    "$RB/cli/referee" eval --task "$task" --candidate "kernels/gpu/$c" --device cuda \
      --sandbox on --format json >"$DETAILS/probe_${c//\//_}.json" 2>"$DETAILS/probe_${c//\//_}.err"
    python3 - "$DETAILS/probe_${c//\//_}.json" "$c" <<'PY' || bad=1
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except ValueError:
    print("%-40s no report" % sys.argv[2]); sys.exit(1)
f = r.get("failure") or {}
w = r["workloads"][0]
med = ((w.get("timing") or {}).get("candidate") or {}).get("median", 0)
print("%-40s %-5s %-18s median %.1f us, %d calls, %d fully checked, SOL %s" % (
    sys.argv[2], r["verdict"], f.get("check", ""), med * 1e6, w["calls"], w["full_checks"],
    w.get("sol_score")))
if f: print("    " + f.get("reason", "")[:300])
sys.exit(0 if r["verdict"] == "PASS" else 1)
PY
  done
  own_kernels || bad=1
  probe_hacks || bad=1
  return $bad
}

# expect TASK CANDIDATE WANT [FLAGS...]: one sandboxed evaluation whose verdict (PASS) or failed
# check must be WANT; prints one line.
expect() {
  local task=$1 c=$2 want=$3 got name
  shift 3
  name=expect_${c//\//_}${1:+_own}
  "$RB/cli/referee" eval --task "$task" --candidate "$c" --device cuda --sandbox on "$@" \
    --format json >"$DETAILS/$name.json" 2>"$DETAILS/$name.err"
  got=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); f=r.get("failure") or {}; print(r["verdict"] if r["verdict"]=="PASS" else f.get("check","?")); print("   ", (f.get("reason") or "")[:240], file=sys.stderr)' "$DETAILS/$name.json" 2>&1 | head -2 | tr '\n' ' ')
  echo "expect: ${task##*/} $c ${*:-}: want $want, got $got"
  [[ $got == "$want"* ]]
}

# Issue 18 item 6: with --require-own-kernels the honest kernels still PASS and a candidate that
# only calls ATen's softmax is REJECTED as library-kernels.
own_kernels() {
  local bad=0 sm=kernels/gpu/softmax
  expect $sm $sm/candidates/triton_honest.py PASS --require-own-kernels || bad=1
  expect $sm $sm/candidates/cuda_honest.cu PASS --require-own-kernels || bad=1
  expect $sm tests/gpu/fixtures/library_fallback_softmax.py library-kernels \
    --require-own-kernels || bad=1
  return $bad
}

# Issue 18 items 4 and 5 on the GPU: the hacks the probes exist for (the honest kernels above
# passed with the same probes on).
probe_hacks() {
  local bad=0 f=tests/gpu/fixtures
  expect kernels/gpu/softmax $f/unsafe_softmax_triton.py robustness || bad=1
  expect kernels/gpu/softmax $f/half_precision_softmax_triton.py reduced-precision || bad=1
  expect kernels/gpu/gelu $f/escaped_helper_gelu.py child-process || bad=1
  return $bad
}

step() {  # step NAME LIMIT_S COMMAND...
  local name=$1 limit=$2 s rc
  shift 2
  s=$(date +%s)
  echo "== $name (limit ${limit} s)"
  OUT=$DETAILS timeout --kill-after=10 "$limit" "$@" >"$LOGS/$name.log" 2>&1
  rc=$?
  tail -40 "$LOGS/$name.log"
  echo "== $name: exit $rc after $(( $(date +%s) - s )) s"
  tar -czf "$LOGS/details.tar.gz" -C "$DETAILS" . 2>/dev/null
  [[ $rc -ne 0 ]] && status=1
}

for s in "${STEPS[@]}"; do
  case $s in
    probes) export -f probes own_kernels probe_hacks expect; export RB DETAILS
            step probes 420 bash -c probes ;;
    train-honest) step train-honest 290 tests/gpu/train_eval.sh --skip-build --only honest ;;
    train-hacks) step train-hacks 120 tests/gpu/train_eval.sh --skip-build --only hacks \
                   --hack-budget "${HACK_BUDGET:-10}" --jobs "${HACK_JOBS:-4}" ;;
    search) step search 200 tests/gpu/search_demo.sh --candidates 8 ;;
    search-local) step search-local 200 tests/gpu/search_demo.sh --candidates 6 \
                    --executor local --gpus 0 ;;
    *) echo "unknown step $s" >&2; exit 2 ;;
  esac
done
exit $status
