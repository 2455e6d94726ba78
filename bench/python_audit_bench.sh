#!/usr/bin/env bash
# Python audit throughput (issue #4): files per second of `referee audit` on a large tree of
# Python without embedded CUDA, on one core (-j1). Default tree: Debian python3-torch's .py files.
#   bench/python_audit_bench.sh [BUILD_DIR] [TREE]
#   REFEREE_AUDIT_ARGS=--in-process bench/python_audit_bench.sh   # the isolation's cost: compare
# Prints the file count, wall and CPU (user+sys) time and files/s by each; the target is >= 300
# files/s on one core. On a shared machine the CPU-time rate is the one to compare: wall time
# also counts the time other processes hold the core.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
tree=${2:-/usr/lib/python3/dist-packages/torch}
referee=$build/cli/referee
[ -x "$referee" ] || { echo "python_audit_bench: $referee not built" >&2; exit 2; }
[ -d "$tree" ] || { echo "python_audit_bench: $tree missing (apt-get install python3-torch)" >&2; exit 2; }
list=$(mktemp)
trap 'rm -f "$list"' EXIT
find "$tree" -name '*.py' -type f | sort > "$list"
count=$(wc -l < "$list")
# Only the .py files (the tree also holds a few .cpp/.h that would go to the Clang analyzer).
# One warm-up pass (page cache), then the timed pass with the bundled rules. Findings and exit
# status 1 are expected.
read -r -a extra <<< "${REFEREE_AUDIT_ARGS:-}"
xargs -a "$list" -d '\n' "$referee" audit -j 1 --format json "${extra[@]}" > /dev/null 2>&1 || true
TIMEFORMAT='%R %U %S'
times=$( { time xargs -a "$list" -d '\n' "$referee" audit -j 1 --format json "${extra[@]}" > /dev/null 2>&1; } 2>&1 ) || true
read -r wall user sys <<< "${times##*$'\n'}"
awk -v mode="${REFEREE_AUDIT_ARGS:+ (${REFEREE_AUDIT_ARGS})}" -v n="$count" -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN {
  c = u + s
  printf "python_audit_bench%s: %d files in %.2f s wall = %.0f files/s (wall); ", mode, n, w, n / w
  printf "%.2f s CPU (user %.2f + sys %.2f) = %.0f files/s (CPU) (-j1, target >= 300)\n", c, u, s, n / c }'
