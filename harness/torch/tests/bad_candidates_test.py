#!/usr/bin/env python3
"""LibTorch entry-point candidates that cannot be built: `referee eval` exits 2 with one line.

Usage: bad_candidates_test.py REFEREE SOURCE_ROOT
"""
import os
import re
import subprocess
import sys

CASES = [
    # (source under harness/torch/tests/data, the one stderr line it must print)
    ("compile_error.cpp",
     # g++'s wording, or clang's where the tree is built with clang (the sanitizer build)
     r"(?:referee: error: )?\S*/compile_error\.cpp:7:3: error: (?:.undeclared_helper. was not "
     r"declared in this scope|use of undeclared identifier .undeclared_helper.)"),
    ("missing_entry.cpp",
     r"(?:referee: error: )?\S*/missing_entry\.cpp: error: defines no referee_run_torch \(declare it "
     r"with REFEREE_TORCH_ENTRY, referee/abi/referee_torch_kernel\.h\)"),
]


def main():
    referee, root = sys.argv[1:3]
    task = os.path.join(root, "kernels", "cpu", "vector_add")
    failed = 0
    for name, want in CASES:
        cmd = [referee, "eval", "--task", task, "--candidate",
               os.path.join(root, "harness", "torch", "tests", "data", name), "--quick"]
        if os.environ.get("REFEREE_E2E_SANDBOX"):
            cmd += ["--sandbox", os.environ["REFEREE_E2E_SANDBOX"]]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        lines = [ln for ln in p.stderr.splitlines() if not ln.startswith("referee: warning:")]
        ok = p.returncode == 2 and len(lines) == 1 and re.fullmatch(want, lines[0]) and \
            not p.stdout
        print("%s %s: exit %d, stderr %r" % ("ok" if ok else "FAILED", name, p.returncode,
                                             p.stderr))
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
