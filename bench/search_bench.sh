#!/usr/bin/env bash
# The search loop's own throughput (issue 19): `referee search` with the no-op (fake) judge,
# whose evaluations start no process, so what is measured is the journal (SQLite WAL, blobs),
# the patch gate, the audit stage and the scheduling. Prints candidates and decisions per
# minute; the target is >= 1000 candidates per minute.
#   bench/search_bench.sh [BUILD_DIR] [CANDIDATES] [THREADS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
n=${2:-2000}
threads=${3:-4}
referee=$build/cli/referee
work=$(mktemp -d /tmp/referee-search-bench-XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/task" "$work/rules"
echo '{"name": "bench", "description": "no-op judge"}' > "$work/task/definition.json"
cat > "$work/seed.py" <<'PY'
A = 5  # referee: tune A in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
B = 5  # referee: tune B in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
C = 5  # referee: tune C in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
D = 5  # referee: tune D in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
# referee: begin-editable
# fake: time=0.001*(1+A/10)*(1+B/10)*(1+C/10)*(1+D/10)
def run(x, y):
    return x + y
# referee: end-editable
PY
run_one() {  # $1 label, then extra init flags
  local label=$1; shift
  local dir=$work/$label
  "$referee" search init --dir "$dir" --task "$work/task" --start "$work/seed.py" --judge fake \
    --proposer random --proposer tune --threads "$threads" --candidates "$n" \
    --proposals $((n * 20)) --stagnation 0 --merge-every 0 "$@" >/dev/null
  local t0 t1
  t0=$(date +%s.%N)
  "$referee" search run --dir "$dir" 2>/dev/null | tail -1 >&2
  t1=$(date +%s.%N)
  "$referee" search export --dir "$dir" --table decisions --format jsonl > "$work/d.jsonl"
  local decisions cands stages
  decisions=$(wc -l < "$work/d.jsonl")
  cands=$("$referee" search export --dir "$dir" --table candidates --format jsonl | wc -l)
  stages=$("$referee" search export --dir "$dir" --table stages --format jsonl | wc -l)
  python3 - "$label" "$t0" "$t1" "$cands" "$decisions" "$stages" "$dir" <<'PY'
import os, sys
label, t0, t1, cands, decisions, stages, d = sys.argv[1:]
wall = float(t1) - float(t0)
size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(d) for f in fs)
print("%-22s %5d candidates %5d decisions %6d stage rows in %6.1f s: %7.0f candidates/min, "
      "%7.0f decisions/min; journal + blobs %.1f MB"
      % (label, int(cands) - 1, int(decisions), int(stages), wall,
         (int(cands) - 1) / wall * 60, int(decisions) / wall * 60, size / 1e6))
PY
}
echo "search bench: $n candidates, $threads threads, no-op judge ($(nproc) cores)"
run_one "audit on (rules/)"
run_one "audit off (no rules)" --rules "$work/rules"
