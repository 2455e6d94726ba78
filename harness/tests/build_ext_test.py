#!/usr/bin/env python3
"""harness/python/referee_build_ext.py, the build of SOL-ExecBench C++ solutions (binding
torch), with the workers' torch: a C++-only module (no GPU here) built by torch's extension
machinery without being imported by the build, then imported by its TORCH_EXTENSION_NAME as the
worker does and called; and the one-line `referee-build-ext:` errors for a missing toolchain
(a CUDA build on a CPU-only torch, no ninja on PATH).

Usage: build_ext_test.py BUILD_EXT_SCRIPT   (run by the workers' Python)
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

SCRIPT = sys.argv[1]
failures = []


def expect(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else ": " + detail[-1500:]))
    if not cond:
        failures.append(name)


def build(tmp, with_cuda, env=None, source="main.cpp"):
    cfg = {"name": "referee_solution", "sources": [os.path.join(tmp, source)],
           "build_dir": os.path.join(tmp, "build"), "output": os.path.join(tmp, "candidate.so"),
           "include_dirs": [tmp], "cflags": [], "cuda_cflags": [], "ldflags": [],
           "with_cuda": with_cuda}
    return subprocess.run([sys.executable, "-I", SCRIPT, json.dumps(cfg)], capture_output=True,
                          text=True, timeout=280, env=env)


def marker_lines(stderr):
    return [l for l in stderr.splitlines() if l.startswith("referee-build-ext: ")]


with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, "main.cpp"), "w") as f:
        f.write('#include <torch/extension.h>\n'
                'torch::Tensor run(torch::Tensor x, torch::Tensor y) { return x * 2 + y; }\n'
                'PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) { m.def("run", &run); }\n')
    with open(os.path.join(tmp, "broken.cpp"), "w") as f:
        f.write('#include <torch/extension.h>\nint f() { return undefined_name; }\n')
    import torch
    if torch.version.cuda is None:
        p = build(tmp, True)
        lines = marker_lines(p.stderr)
        expect("a CUDA build on a CPU-only torch: one line naming it, exit 3",
               p.returncode == 3 and len(lines) == 1 and "has no CUDA" in lines[0], p.stderr)
    p = build(tmp, False, env=dict(os.environ, PATH="/nonexistent"))
    lines = marker_lines(p.stderr)
    expect("no ninja on PATH: one line naming it, exit 3",
           p.returncode == 3 and len(lines) == 1 and "no ninja on PATH" in lines[0], p.stderr)
    p = build(tmp, False, source="broken.cpp")
    expect("a compile error: the compiler's file:line:col diagnostic, exit 1",
           p.returncode == 1 and "broken.cpp:2:" in p.stderr and "undefined_name" in p.stderr,
           p.stderr)
    p = build(tmp, False)
    out = os.path.join(tmp, "candidate.so")
    expect("a C++ module builds", p.returncode == 0 and os.path.isfile(out), p.stderr)
    if os.path.isfile(out):
        # As the worker loads it (referee_worker.py load_module): by TORCH_EXTENSION_NAME.
        spec = importlib.util.spec_from_file_location("referee_solution", out)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        r = mod.run(torch.ones(3), torch.arange(3.0))
        expect("the module imports by its name and its entry point runs",
               torch.equal(r, torch.tensor([2.0, 3.0, 4.0])), str(r))
print("%d failure(s)" % len(failures))
sys.exit(1 if failures else 0)
