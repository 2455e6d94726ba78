#!/usr/bin/env bash
# Runs one libFuzzer target of fuzz/ for SECONDS (issue 20; docs/robustness.md).
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]   e.g. scripts/fuzz.sh rule_fuzzer 60
#   scripts/fuzz.sh list                                  the targets
# Uses build-san/ (clang-19, REFEREE_FUZZ=ON: ASan + UBSan + libFuzzer; scripts/sanitize.sh builds
# all of it), configuring it on first use and building only TARGET. Seeds
# are the repository's own files of the target's input kind plus tests/fuzz/TARGET/ (the
# regression inputs); the growing corpus stays in build-san/fuzz-corpus/TARGET and crashes land
# in build-san/fuzz-crashes/TARGET/. A crash found is minimised with
#   build-san/fuzz/TARGET -minimize_crash=1 -runs=10000 CRASH
# and added to tests/fuzz/TARGET/, which ctest replays in every build. Exit status: libFuzzer's
# (0 when no crash was found).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${REFEREE_FUZZ_BUILD_DIR:-$here/build-san}
targets=(python_analyzer_fuzzer clang_tu_fuzzer rule_fuzzer audit_reply_fuzzer task_fuzzer
         worker_reply_fuzzer trace_reader_fuzzer)

usage() { echo "usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...] | list" >&2; exit 2; }
[ $# -ge 1 ] || usage
if [ "$1" = list ]; then printf '%s\n' "${targets[@]}"; exit 0; fi
[ $# -ge 2 ] || usage
target=$1 seconds=$2
shift 2
[[ " ${targets[*]} " == *" $target "* ]] || { echo "fuzz.sh: unknown target '$target'" >&2; usage; }
[[ $seconds =~ ^[0-9]+$ ]] || usage

if [ ! -f "$build/build.ninja" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache
                                           -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # -O1 and line tables: fast enough to fuzz, quick to build, symbolised stacks.
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_C_FLAGS="-O1 -gline-tables-only" -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 "${launcher[@]}" \
    -DREFEREE_FUZZ=ON >/dev/null
fi
ninja -C "$build" "$target" >/dev/null
exe=$build/fuzz/$target

# Seeds: the repository's own files, copied flat (the corpus directory libFuzzer reads).
seeds=$build/fuzz-seeds/$target
rm -rf "$seeds" && mkdir -p "$seeds"
copy() { local i=0 f; while IFS= read -r f; do cp "$f" "$seeds/$((i++))_$(basename "$f")"; done; }
cd "$here"
case $target in
  python_analyzer_fuzzer)
    git ls-files '*.py' | grep -v '^third_party/' | copy ;;
  clang_tu_fuzzer)  # first byte: 1 = .cu, 0 = .cpp
    i=0
    while IFS= read -r f; do
      case $f in *.cu|*.cuh) p='\x01' ;; *) p='\x00' ;; esac
      { printf "$p"; cat "$f"; } > "$seeds/$((i++))_$(basename "$f")"
    done < <(git ls-files '*.cu' '*.cuh' '*.cpp' '*.cc' '*.h' | grep -E '^(rules|examples|kernels)/') ;;
  rule_fuzzer)
    git ls-files 'rules/*.yaml' | copy ;;
  task_fuzzer)  # definition.json, then a line '---', then workload.jsonl (fuzz/task_fuzzer.cc)
    i=0
    while IFS= read -r f; do
      d=$(dirname "$f")
      { cat "$f"; printf '\n---\n'; [ -f "$d/workload.jsonl" ] && cat "$d/workload.jsonl"; } \
        > "$seeds/$((i++))_$(basename "$d").task"
    done < <(git ls-files '*definition.json') ;;
  worker_reply_fuzzer|audit_reply_fuzzer)
    ;;  # tests/fuzz/$target holds well-formed replies
  trace_reader_fuzzer)  # first byte: the size of the pieces fed to the stream parser
    i=0
    while IFS= read -r f; do
      { printf '\x07'; cat "$f"; } > "$seeds/$((i++))_$(basename "$f")"
    done < <(git ls-files 'harness/cupti/tests/testdata/*.bin') ;;
esac

corpus=$build/fuzz-corpus/$target
crashes=$build/fuzz-crashes/$target
mkdir -p "$corpus" "$crashes" "$here/tests/fuzz/$target"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:handle_abort=1:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
status=0
"$exe" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix="$crashes/" "$@" "$corpus" "$seeds" "$here/tests/fuzz/$target" \
  2> "$build/fuzz-$target.log" || status=$?
# The last status line: execs, coverage (cov: edges, ft: features), corpus size, exec/s.
last=$(grep -E '^#[0-9]+' "$build/fuzz-$target.log" | tail -1 || true)
# Slow units (inputs over libFuzzer's -report_slow_units, 10 s) are kept beside the crashes but
# are not failures: counted apart.
found=$(find "$crashes" -type f ! -name 'slow-unit-*' | wc -l)
slow=$(find "$crashes" -type f -name 'slow-unit-*' | wc -l)
echo "fuzz.sh: $target ${seconds}s: ${last:-no status line} ; crashes in $crashes: $found" \
     "(slow units: $slow; log $build/fuzz-$target.log)"
exit $status
