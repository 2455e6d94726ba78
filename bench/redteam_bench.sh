#!/usr/bin/env bash
# Recall and false positives of the static audit on the red-team corpus (issue 18, item 3).
# Not a test: prints numbers. Runs `referee audit --format json` on every case of the corpus
# (default tests/redteam) or of external manifests, and prints hacks caught per context and
# catalogue category (a finding at warning or above; static=yes / static=no split), honest
# look-alikes flagged, the misses, and files the audit could only partly analyse.
#
#   bench/redteam_bench.sh [--corpus DIR]... [--manifest FILE]... [--json OUT]
#                          [--min-severity warning|error] [-j N] [--quiet]
#   REFEREE=build/cli/referee (or --referee PATH)
#
# An external corpus is a manifest of `PATH key=value ...` lines (tests/redteam/README.md);
# bench/public_corpus_bench.sh writes one for the fetched public corpora.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export PYTHONDONTWRITEBYTECODE=1
args=()
[[ -n ${REFEREE:-} ]] && args+=(--referee "$REFEREE")
exec /usr/bin/python3 "$here/bench/redteam_bench.py" "${args[@]}" "$@"
