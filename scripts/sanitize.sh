#!/usr/bin/env bash
# The unit and end-to-end tests under AddressSanitizer + UndefinedBehaviorSanitizer, then a short
# run of every fuzz target (issue 20; docs/robustness.md). CI runs it after scripts/test.sh.
#   scripts/sanitize.sh                  build build-san/, ctest there, fuzz each target 60 s
#   REFEREE_FUZZ_SMOKE_SECONDS=N         seconds per fuzz target (0: none)
#   scripts/sanitize.sh [ctest args]     e.g. -R fuzz_regressions to run only those
#   REFEREE_SAN_SCOPE=nollvm             CI's scope: everything but the Clang analyzer (no LLVM
#                                        headers) in build-san-nollvm/: the Python analyzer, the
#                                        rule loader, the audit driver and its per-file children,
#                                        the harness, sandbox, training, search and CLI with their
#                                        unit tests; the fuzzers of what a candidate's Python file,
#                                        a rule, an audit child, a worker, a task and a trace feed
#                                        Referee; the slow end-to-end suites left out. The whole
#                                        scope needs ~30 min of LLVM under ASan to build on 2 cores,
#                                        past CI's budget.
#   REFEREE_SAN_SCOPE=judge              the judge alone (no analyzers, no rules): build-san-judge/.
# build-san/ is built with clang-19 and REFEREE_FUZZ=ON: everything instrumented for ASan, UBSan
# and libFuzzer's coverage, so one build serves the tests and the fuzzers (scripts/fuzz.sh uses
# it too). Needs scripts/setup.sh --deps first (test.sh does it).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
scope=${REFEREE_SAN_SCOPE:-all}
smoke=${REFEREE_FUZZ_SMOKE_SECONDS:-60}
scope_flags=()
ctest_scope=()
fuzz_targets=$(bash "$here/scripts/fuzz.sh" list)
# Left out of the partial scopes: minutes of Python and torch child processes (not sanitized)
# each, which the normal ctest runs; and MemoryBombIsOomKilled/root, whose sandboxed memory bomb
# dies by SIGSEGV at ~2 MB under this build instead of reaching the cgroup limit (cause not
# established; docs/robustness.md), also run by the normal ctest.
slow_suites='^(training_e2e|search\.|harness_e2e|schema\.|cli_trust|Configs/AttackTest\.MemoryBombIsOomKilled)'
case $scope in
  all) build=${REFEREE_SAN_BUILD_DIR:-$here/build-san} ;;
  nollvm)
    build=${REFEREE_SAN_BUILD_DIR:-$here/build-san-nollvm}
    scope_flags=(-DREFEREE_WITH_CLANG_ANALYZER=OFF)
    ctest_scope=(-E "$slow_suites")
    fuzz_targets="python_analyzer_fuzzer rule_fuzzer audit_reply_fuzzer task_fuzzer
                  worker_reply_fuzzer trace_reader_fuzzer" ;;
  judge)
    build=${REFEREE_SAN_BUILD_DIR:-$here/build-san-judge}
    scope_flags=(-DREFEREE_WITH_ANALYZERS=OFF)
    ctest_scope=(-E "$slow_suites")
    fuzz_targets="task_fuzzer worker_reply_fuzzer trace_reader_fuzzer" ;;
  *) echo "sanitize.sh: REFEREE_SAN_SCOPE must be all, nollvm or judge" >&2; exit 2 ;;
esac
start=$(date +%s)

bash "$here/scripts/setup.sh" --deps
if [ ! -f "$build/build.ninja" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache
                                           -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # -O1 and line tables: symbolised reports, quick to build, fast enough to fuzz.
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_C_FLAGS="-O1 -gline-tables-only" -DCMAKE_CXX_FLAGS="-O1 -gline-tables-only" \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 "${launcher[@]}" \
    -DREFEREE_FUZZ=ON "${scope_flags[@]}" >/dev/null
fi
cmake --build "$build"
built=$(date +%s)

# detect_leaks=0: LLVM and the analyzers' one-time setups are never freed by design.
# handle_abort=0: an abort stays a SIGABRT (ASan would turn it into exit status 1), which the
# audit's per-file children are tested to report as "crashed (signal 6)"; ASan still reports the
# memory errors that would end in glibc's aborts before glibc sees them.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:handle_abort=0:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
(cd "$build" && ctest --output-on-failure -j "$(nproc)" "${ctest_scope[@]}" "$@")
tested=$(date +%s)

status=0
if [ "$smoke" -gt 0 ]; then
  for target in $fuzz_targets; do
    REFEREE_FUZZ_BUILD_DIR=$build bash "$here/scripts/fuzz.sh" "$target" "$smoke" || status=1
  done
fi
end=$(date +%s)
echo "sanitize.sh: build $((built - start)) s, sanitized ctest $((tested - built)) s," \
     "fuzz smoke $((end - tested)) s"
exit $status
