#!/usr/bin/env bash
# Clang audit throughput against the parse floor (issue #3, item 9). Not a test: prints numbers.
#
#   bench/audit_bench.sh [DIR]        DIR: CUDA/C++ files to audit (default: a corpus built from
#                                     the rule tests under rules/cpp, copied COPIES times)
#   REFEREE=build/cli/referee  CLANG=clang-19  COPIES=3  JOBS=1  CUDA_PATH=  (toolkit mode)
#
# For every file the audit runs a CUDA host pass and a device pass (.cu/.cuh) or one C++ pass,
# with all bundled rules and checks. The floor is `clang -fsyntax-only` of the same files with
# the same flags (the same stub header, written to disk here), host + device. Target: the audit
# costs at most 1.3x the floor.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REFEREE=${REFEREE:-$ROOT/build/cli/referee}
CLANG=${CLANG:-clang-19}
COPIES=${COPIES:-3}
JOBS=${JOBS:-1}
CUDA_PATH=${CUDA_PATH:-}
ARCH=sm_90

[[ -x $REFEREE ]] || { echo "audit_bench: no referee binary at $REFEREE (set REFEREE=)" >&2; exit 2; }
command -v "$CLANG" >/dev/null || { echo "audit_bench: $CLANG not found (set CLANG=)" >&2; exit 2; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# ---- the corpus ----
if [[ $# -ge 1 ]]; then
  CORPUS=$(cd "$1" && pwd)
else
  CORPUS=$WORK/corpus
  mkdir -p "$CORPUS/testdata"
  cp "$ROOT"/rules/cpp/testdata/*.h "$CORPUS/testdata/"
  for ((k = 0; k < COPIES; ++k)); do
    mkdir -p "$CORPUS/copy$k"
    for f in "$ROOT"/rules/cpp/*/*.cu "$ROOT"/rules/cpp/*/*.cpp; do
      [[ -e $f ]] && cp "$f" "$CORPUS/copy$k/"
    done
  done
fi
mapfile -t FILES < <(find "$CORPUS" -type f \( -name '*.cu' -o -name '*.cuh' -o -name '*.cpp' \
                       -o -name '*.cc' -o -name '*.cxx' \) -not -path '*/testdata/*' | sort)
N=${#FILES[@]}
[[ $N -gt 0 ]] || { echo "audit_bench: no CUDA/C++ files under $CORPUS" >&2; exit 2; }

# ---- the stub header on disk, as the analyzer maps it in memory ----
STUB=$WORK/stub/include
mkdir -p "$STUB/crt"
cp "$ROOT/analyzers/src/clang/stub/referee_cuda_stub.h" "$STUB/"
: > "$STUB/crt/sm_70_rt.hpp"
for h in cuda_runtime.h cuda_runtime_api.h cuda.h cuda_fp16.h cuda_bf16.h cuda_fp16.hpp \
         cuda_bf16.hpp driver_types.h vector_types.h device_launch_parameters.h \
         cooperative_groups.h cuda_profiler_api.h cublas_v2.h cublas.h cublas_api.h cublasLt.h \
         cudnn.h nvml.h math_constants.h; do
  echo '#include <referee_cuda_stub.h>' > "$STUB/$h"
done
TK=$WORK/cuda13/include
mkdir -p "$TK"
: > "$TK/texture_fetch_functions.h"
: > "$TK/texture_indirect_functions.h"
printf '#ifdef __CUDA_ARCH__\nextern "C" int cudaConfigureCall(dim3, dim3, unsigned long = 0, struct CUstream_st * = 0);\n#endif\n' \
  > "$WORK/cuda13/launch_stub.h"

COMMON=(-fsyntax-only -w -std=gnu++17)
if [[ -d /usr/include/torch/csrc/api/include ]]; then
  COMMON+=(-isystem /usr/include/torch/csrc/api/include -D_GLIBCXX_USE_CXX11_ABI=1)
  PY=$(ls -d /usr/include/python3.*/ 2>/dev/null | head -1)
  [[ -n $PY ]] && COMMON+=(-isystem "${PY%/}")
fi
if [[ -n $CUDA_PATH ]]; then
  CUDA_FLAGS=(-x cuda -nocudalib --cuda-path="$CUDA_PATH" -Wno-unknown-cuda-version -isystem "$TK"
              -isystem "$CUDA_PATH/include/cccl" -include "$WORK/cuda13/launch_stub.h")
  CPP_FLAGS=(-x c++ -isystem "$CUDA_PATH/include")
  AUDIT_MODE=(--cuda-path "$CUDA_PATH")
else
  CUDA_FLAGS=(-x cuda -nocudalib -nocudainc --cuda-path=/nonexistent -isystem "$STUB"
              -include "$STUB/referee_cuda_stub.h")
  CPP_FLAGS=(-x c++ -isystem "$STUB")
  AUDIT_MODE=()
fi

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }

# ---- the floor: one clang process per file and pass ----
parse_floor() {  # $1 = host|device
  local t0 t1 f
  t0=$(now)
  for f in "${FILES[@]}"; do
    case $f in
      *.cu | *.cuh)
        if [[ $1 == host ]]; then
          "$CLANG" "${COMMON[@]}" "${CUDA_FLAGS[@]}" --cuda-host-only "$f" 2>/dev/null || true
        else
          "$CLANG" "${COMMON[@]}" "${CUDA_FLAGS[@]}" --cuda-device-only --cuda-gpu-arch=$ARCH \
            "$f" 2>/dev/null || true
        fi ;;
      *) [[ $1 == host ]] && { "$CLANG" "${COMMON[@]}" "${CPP_FLAGS[@]}" "$f" 2>/dev/null || true; } ;;
    esac
  done
  t1=$(now)
  elapsed "$t0" "$t1"
}

# ---- the audit: one referee process for the whole corpus ----
audit_once() {
  local t0 t1
  t0=$(now)
  "$REFEREE" audit -q -j "$JOBS" --format json --output "$WORK/report.json" \
    "${AUDIT_MODE[@]}" "${FILES[@]}" >/dev/null 2>&1 || true
  t1=$(now)
  elapsed "$t0" "$t1"
}

"$REFEREE" audit -q -j "$JOBS" --format json --output /dev/null "${AUDIT_MODE[@]}" "${FILES[0]}" \
  >/dev/null 2>&1 || true  # warm the page cache
HOST=$(parse_floor host)
DEVICE=$(parse_floor device)
AUDIT=$(audit_once)
FLOOR=$(echo "$HOST + $DEVICE" | bc -l)
FINDINGS=$(grep -o '"rule_id"' "$WORK/report.json" | wc -l)

row() {  # label seconds
  printf '%-34s %8.2f s %9.1f files/s %9.1f ms/file\n' "$1" "$2" \
    "$(echo "$N / $2" | bc -l)" "$(echo "1000 * $2 / $N" | bc -l)"
}
echo "corpus: $N files under $CORPUS (mode: ${CUDA_PATH:+toolkit }${CUDA_PATH:-no-toolkit stub}, -j $JOBS)"
row "clang -fsyntax-only, host pass" "$HOST"
row "clang -fsyntax-only, device pass" "$DEVICE"
row "parse floor (host + device)" "$FLOOR"
row "referee audit (both passes, rules)" "$AUDIT"
printf 'audit / floor: %.2fx (target <= 1.30x); %d findings\n' "$(echo "$AUDIT / $FLOOR" | bc -l)" \
  "$FINDINGS"
