#!/usr/bin/env bash
# Python audit throughput (issue #4): files per second of `referee audit` on a large tree of
# Python without embedded CUDA, on one core (-j1). Default tree: Debian python3-torch's .py files.
#   bench/python_audit_bench.sh [BUILD_DIR] [TREE]
# Prints the file count, the wall time and files/s; the target is >= 300 files/s on one core.
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
xargs -a "$list" -d '\n' "$referee" audit -j 1 --format json > /dev/null 2>&1 || true
start=$(date +%s.%N)
xargs -a "$list" -d '\n' "$referee" audit -j 1 --format json > /dev/null 2>&1 || true
end=$(date +%s.%N)
awk -v n="$count" -v s="$start" -v e="$end" 'BEGIN {
  t = e - s; printf "python_audit_bench: %d files in %.2f s = %.0f files/s (-j1, target >= 300)\n", n, t, n / t }'
