#!/usr/bin/env bash
# Issue #7 device acceptance, one command on the GPU machine:
#   tests/gpu/harness_acceptance.sh [--only gelu spin ...]
# Builds (harness_build.sh), then runs every honest candidate (PASS, median within 3% of the
# CUPTI kernel-time sum of an independent run) and every hacking candidate (REJECTED with the
# expected reason), including the 0.5 ms un-joined side-stream probe (must read >= 500 us).
# Writes $OUT/acceptance.json when OUT is set.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=$(tests/gpu/harness_build.sh build-device | tail -1)
OUT_ARGS=()
if [[ -n "${OUT:-}" ]]; then OUT_ARGS=(--out "$OUT/acceptance.json"); fi
PYTHONUNBUFFERED=1 python3 tests/gpu/harness_acceptance.py --lib "$BUILD/libreferee_cupti_inject.so" \
  --tool "$BUILD/referee_cupti_attribute" --so-dir "$BUILD/candidates" "${OUT_ARGS[@]}" "$@"
