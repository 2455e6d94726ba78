#!/usr/bin/env bash
# The same measurement as bench/redteam_bench.sh on the public corpora of issue 18: the 22
# gpu-mode/pygpubench exploits and its honest control, NVIDIA/SOL-ExecBench's evil samples (and the
# hack samples embedded in tests/samples/rmsnorm/*.json) and its examples, KernelBench's prompts
# (honest) and adversarial test kernels, karpathy/autoresearch train.py/prepare.py and
# KellerJordan/modded-nanogpt's training scripts (honest). Nothing fetched is committed.
#
#   bench/public_corpus_bench.sh [--pygpubench GIT_DIR] [--sol GIT_DIR] [--autoresearch GIT_DIR]
#                                [--modded GIT_DIR] [--kernelbench GIT_DIR] [-- BENCH_ARGS...]
#   WORK=/tmp/referee-public-corpus  REFEREE=build/cli/referee
#
# Each GIT_DIR is a bare mirror as the fetch tool returns it, e.g.
#   /work/.mirror/gpu-mode+pygpubench/repo; with no corpus option, every mirror found under
#   MIRRORS=/work/.mirror is used. BENCH_ARGS go to redteam_bench.py (--json OUT, --quiet, ...).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/referee-public-corpus}
mirrors=${MIRRORS:-/work/.mirror}
export PYTHONDONTWRITEBYTECODE=1

layout_args=()
bench_args=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --pygpubench|--sol|--autoresearch|--modded|--kernelbench)
      [[ $# -ge 2 ]] || { echo "public_corpus_bench: $1 needs a GIT_DIR" >&2; exit 2; }
      layout_args+=("$1" "$2"); shift 2 ;;
    --) shift; bench_args=("$@"); break ;;
    *) echo "public_corpus_bench: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
if [[ ${#layout_args[@]} -eq 0 ]]; then
  for pair in pygpubench:gpu-mode+pygpubench sol:NVIDIA+SOL-ExecBench \
              autoresearch:karpathy+autoresearch modded:KellerJordan+modded-nanogpt \
              kernelbench:ScalingIntelligence+KernelBench; do
    dir=$mirrors/${pair#*:}/repo
    [[ -d $dir ]] && layout_args+=("--${pair%%:*}" "$dir")
  done
fi
[[ ${#layout_args[@]} -gt 0 ]] || { echo "public_corpus_bench: no mirror given or found" >&2; exit 2; }

rm -rf "$work"
mkdir -p "$work"
/usr/bin/python3 "$here/bench/public_corpus_layout.py" --out "$work" "${layout_args[@]}"
args=()
[[ -n ${REFEREE:-} ]] && args+=(--referee "$REFEREE")
exec /usr/bin/python3 "$here/bench/redteam_bench.py" "${args[@]}" --manifest "$work/MANIFEST.txt" \
  "${bench_args[@]}"
