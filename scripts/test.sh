#!/usr/bin/env bash
# Sets up (installs dependencies, builds) and runs the whole test suite with ctest.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${REFEREE_BUILD_DIR:-$here/build}
bash "$here/scripts/setup.sh"
cd "$build_dir"
ctest --output-on-failure -j "$(nproc)" "$@"
