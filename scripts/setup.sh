#!/usr/bin/env bash
# Installs every dependency Referee needs on a fresh Debian bookworm, fetches the
# tree-sitter Python grammar from npm, and builds. Idempotent: a second run only rebuilds.
#   scripts/setup.sh            install + configure + build (build/)
#   scripts/setup.sh --deps     install only
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${REFEREE_BUILD_DIR:-$here/build}

packages=(
  build-essential g++-12 cmake ninja-build pkg-config git ca-certificates
  clang-19 libclang-19-dev libclang-cpp19-dev llvm-19-dev
  libseccomp-dev libcap-dev nlohmann-json3-dev libyaml-cpp-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libtree-sitter-dev
  libtorch-dev python3-torch pybind11-dev python3-dev
  bubblewrap
  python3-jsonschema
)

install_packages() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  # The machine image ships Node.js with npm; Debian's npm conflicts with it, so only add it when absent.
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The grammar is third-party code: fetched into the build tree, never committed.
fetch_python_grammar() {
  local dest=$here/third_party/tree-sitter-python
  [ -f "$dest/src/parser.c" ] && return 0
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent tree-sitter-python@0.23.6 >/dev/null)
  mkdir -p "$dest"
  tar -xzf "$tmp"/tree-sitter-python-0.23.6.tgz -C "$dest" --strip-components=1 package/src package/LICENSE
  rm -rf "$tmp"
}

install_packages
fetch_python_grammar
[ "${1:-}" = "--deps" ] && exit 0

cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER=g++-12 -DCMAKE_C_COMPILER=gcc-12
cmake --build "$build_dir"
