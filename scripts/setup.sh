#!/usr/bin/env bash
# Installs every dependency Referee needs on a fresh Debian bookworm, fetches the
# tree-sitter Python grammar and the reports' plotting library from npm, and builds. Idempotent: a second run only rebuilds.
#   scripts/setup.sh            install + configure + build (build/)
#   scripts/setup.sh --deps     install only
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${REFEREE_BUILD_DIR:-$here/build}

packages=(
  build-essential g++-12 cmake ninja-build pkg-config git ca-certificates
  clang-19 libclang-19-dev libclang-cpp19-dev llvm-19-dev libclang-rt-19-dev
  libseccomp-dev libcap-dev nlohmann-json3-dev libyaml-cpp-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libtree-sitter-dev
  libtorch-dev python3-torch pybind11-dev python3-dev
  bubblewrap
  python3-jsonschema
  chromium
  slurmctld slurmd slurm-client munge  # the search's slurm executor test (tests/slurm/)
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

# The plotting library the HTML reports inline (issue 14): Apache ECharts' single-file build,
# from npm, pinned by the tarball's sha256; fetched into third_party/, never committed.
fetch_plot_library() {
  local dest=$here/third_party/echarts
  [ -f "$dest/echarts.min.js" ] && return 0
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent echarts@5.6.0 >/dev/null)
  echo "e1b82487dd7f8d9f0438eec1f1433051148e0095ac7a15d4db890afda45cf610  $tmp/echarts-5.6.0.tgz" |
    sha256sum -c --quiet - || { echo "setup: echarts-5.6.0.tgz has the wrong sha256" >&2; exit 1; }
  mkdir -p "$dest"
  tar -xzf "$tmp"/echarts-5.6.0.tgz -C "$dest" --strip-components=1 package/LICENSE package/NOTICE
  tar -xzf "$tmp"/echarts-5.6.0.tgz -C "$dest" --strip-components=2 package/dist/echarts.min.js
  rm -rf "$tmp"
}

# The tree-sitter runtime, built from Debian bookworm's own source package (0.20.7, the version
# libtree-sitter-dev ships) with three fixes (issue 20): a node's child count is kept in
# 16 bits, so a node with 65,536 children (an ERROR node over a 65,535-bracket file) wrapped to 0
# and ts_tree_delete freed a pointer into the middle of a block (upstream made it 32 bits); and
# query analysis read the entry before its state stack when the stack was empty (UBSan, on the
# bundled rules; upstream returns the first entry). A third keeps the query parser from passing
# the empty node name of `""` to strncmp as a null pointer (rule_fuzzer, UBSan; the result, the
# ERROR symbol, is unchanged).
fetch_tree_sitter_runtime() {
  local dest=$here/third_party/tree-sitter
  if [ ! -f "$dest/lib/src/lib.c" ]; then
    local name=tree-sitter_0.20.7.orig.tar.xz
    local sha=e8c0573be475dce5b024d83628a3eb47376923da701376e55a11804cc5d25487
    local tmp; tmp=$(mktemp -d)
    /usr/bin/python3 - "$tmp/$name" "$sha" "$name" <<'EOF'
import hashlib, sys, urllib.request
out, sha, name = sys.argv[1:]
for base in ("http://deb.debian.org/debian",
             "http://snapshot.debian.org/archive/debian/20250520T000000Z"):
    try:
        data = urllib.request.urlopen(f"{base}/pool/main/t/tree-sitter/{name}", timeout=60).read()
    except OSError as e:
        print(f"setup: {base}: {e}", file=sys.stderr)
        continue
    if hashlib.sha256(data).hexdigest() == sha:
        open(out, "wb").write(data)
        sys.exit(0)
    print(f"setup: {base}: {name} has the wrong sha256", file=sys.stderr)
sys.exit(1)
EOF
    rm -rf "$dest" && mkdir -p "$dest"
    tar -xJf "$tmp/$name" -C "$dest" --strip-components=1 \
      tree-sitter-0.20.7/lib/src tree-sitter-0.20.7/lib/include tree-sitter-0.20.7/LICENSE
    rm -rf "$tmp"
  fi
  sed -i 's/^  uint16_t child_count;$/  uint32_t child_count;/' "$dest/lib/src/subtree.h"
  sed -i 's/^  return &self->stack\[self->depth - 1\];$/  return \&self->stack[self->depth > 0 ? self->depth - 1 : 0];/' \
    "$dest/lib/src/query.c"
  sed -i 's/^  if (!strncmp(string, "ERROR", length)) return ts_builtin_sym_error;$/  if (!length || !strncmp(string, "ERROR", length)) return ts_builtin_sym_error;/' \
    "$dest/lib/src/language.c"
  grep -q '^  uint32_t child_count;$' "$dest/lib/src/subtree.h" &&
    grep -q 'stack\[self->depth > 0 ? self->depth - 1 : 0\]' "$dest/lib/src/query.c" &&
    grep -q 'if (!length || !strncmp(string, "ERROR", length))' "$dest/lib/src/language.c" ||
    { echo "setup: could not apply the fixes to tree-sitter's sources" >&2; exit 1; }
}

install_packages
fetch_python_grammar
fetch_plot_library
fetch_tree_sitter_runtime
[ "${1:-}" = "--deps" ] && exit 0

cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER=g++-12 -DCMAKE_C_COMPILER=gcc-12
cmake --build "$build_dir"
