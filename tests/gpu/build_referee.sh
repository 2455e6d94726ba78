#!/usr/bin/env bash
# Configures and builds the referee CLI for the GPU machine's scripts: no LLVM there, so the
# analyzers are off, and no test suites; extra -D options as given. Logs go beside the build
# directory (BUILD_DIR.configure.log, BUILD_DIR.build.log), their tail to stderr on failure.
#   tests/gpu/build_referee.sh BUILD_DIR [-DOPTION=VALUE...]
set -euo pipefail
cd "$(dirname "$0")/../.."
rb=${1:?usage: tests/gpu/build_referee.sh BUILD_DIR [-DOPTION=VALUE...]}
shift
t0=$SECONDS
cmake -S . -B "$rb" -G Ninja -DCMAKE_BUILD_TYPE=Release -DREFEREE_WITH_ANALYZERS=OFF \
  -DREFEREE_BUILD_TESTS=OFF -DREFEREE_TORCH_PYTHON="${REFEREE_PYTHON:-$(command -v python3)}" \
  "$@" >"$rb.configure.log" 2>&1 || { tail -30 "$rb.configure.log" >&2; exit 1; }
cmake --build "$rb" --target referee -j "$(nproc)" >"$rb.build.log" 2>&1 ||
  { tail -40 "$rb.build.log" >&2; exit 1; }
echo "referee build ($rb): $((SECONDS - t0)) s"
