#!/usr/bin/env bash
# Runs the harness Timer backend (CuptiTimer) on the GPU through referee_cupti_timer_probe:
# the honest 0.5 ms spin must give ~500 us per call; the side-stream spin must fail a Sample
# with unjoined-stream; the deferred-thread GEMM must fail with activity-outside-window.
#   tests/gpu/harness_timer_probe.sh BUILD_DIR
set -uo pipefail
cd "$(dirname "$0")/../.."
B=${1:-build-device}
probe() {  # task file expect
  local so="$B/candidates/$1_$(basename "$2" .cu).so"
  local out
  out=$("$B/referee_cupti_timer_probe" "$PWD/$B/libreferee_cupti_inject.so" tests/gpu/fixtures/independent_worker.py \
    "kernels/gpu/$1" "{\"path\": \"kernels/gpu/$1/candidates/$2\", \"language\": \"cuda\", \"so\": \"$so\"}" 6)
  if [[ "$out" == *"$3"* ]]; then echo "ok   $1/$2: $out"; else echo "FAIL $1/$2 (want $3): $out"; fi
}
probe spin spin_honest.cu '"finish":"ok"'
probe spin spin_side_stream.cu 'unjoined-stream'
probe gemm hack_deferred_thread.cu 'activity-outside-window'
