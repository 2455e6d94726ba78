#!/usr/bin/env python3
"""The cases of tests/gpu/sol_kinds.sh (issue 17 item 3 on the GPU): SOL-ExecBench solution and
input kinds through `referee eval --device cuda` and `referee dataset --device cuda`.

Usage: sol_kinds.py --referee BIN [--sandbox on] [--sol-dir DIR] [--out FILE]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "harness/tests/testdata/solexecbench")
sys.path.insert(0, os.path.join(ROOT, "tests/harness_e2e"))
import safetensors_writer  # noqa: E402

# SOL-ExecBench's examples/ (a checkout given by --sol-dir): problem dir, solution file.
SOL_EXAMPLES = [("cuda_cpp/rmsnorm", "solution_cuda.json"),
                ("cuda_cpp/flux_rope", "solution_cuda.json"),
                ("pytorch/linear_backward", "solution_python.json"),
                ("pytorch/gemma3_swiglu", "solution_python.json"),
                ("cudnn/softmax", "solution_cudnn.json"),
                ("cutlass/gemm", "solution_cutlass.json"),
                ("cute_dsl/jamba_attn_proj", "solution_cute_dsl.json"),
                ("cutile/jamba_attn_proj", "solution_cutile.json")]


def evaluate(a, task, cand, *extra):
    t0 = time.time()
    p = subprocess.run([a.referee, "eval", "--task", task, "--candidate", cand, "--device",
                        "cuda", "--sandbox", a.sandbox, "--json", *extra],
                       capture_output=True, text=True, timeout=900)
    try:
        rep = json.loads(p.stdout)
    except ValueError:
        rep = {}
    return {"rc": p.returncode, "report": rep, "stderr": p.stderr.strip(),
            "wall_s": time.time() - t0}


def row(results, name, r, ok, what):
    status = "ok  " if ok else "FAIL"
    check = r.get("report", {}).get("failure", {}).get("check", "")
    print("%s %-55s rc=%s %-14s %6.1f s  %s" % (status, name, r.get("rc"), check,
                                               r.get("wall_s", 0), what[:200]))
    results.append(dict(name=name, ok=ok, rc=r.get("rc"), check=check, wall_s=r.get("wall_s"),
                        detail=what[:2000]))


def medians(r):
    return " ".join("%.1fus" % (w.get("timing", {}).get("candidate", {}).get("median", 0) * 1e6)
                    for w in r.get("report", {}).get("workloads", []))


def expect_pass(a, results, name, task, cand):
    r = evaluate(a, task, cand)
    row(results, name, r, r["rc"] == 0, medians(r) or r["stderr"])


def safetensors_problem(tmp):
    task = os.path.join(tmp, "st/L1/safetensors_add")
    shutil.copytree(os.path.join(DATA, "safetensors_add"), task)
    os.makedirs(os.path.join(tmp, "st/blob"))
    safetensors_writer.write(os.path.join(tmp, "st/blob/add_fixed.safetensors"),
                             safetensors_writer.add_fixed_tensors())
    return task


def own_fixtures(a, results, tmp):
    rms = os.path.join(DATA, "rmsnorm")
    expect_pass(a, results, "cuda_cpp (kernel.cu + main.cpp, binding torch)", rms,
                os.path.join(rms, "solution_cuda.json"))
    expect_pass(a, results, "pytorch DPS solution", rms, os.path.join(rms, "solution.json"))
    custom = os.path.join(DATA, "custom_inputs")
    expect_pass(a, results, "custom_inputs_entrypoint, return style", custom,
                os.path.join(custom, "solution.json"))
    r = evaluate(a, custom, os.path.join(custom, "solution_cache.json"))
    check = r["report"].get("failure", {}).get("check")
    row(results, "custom inputs reused across calls: REJECTED", r,
        r["rc"] == 1 and check == "wrong-output", r["stderr"])
    task = safetensors_problem(tmp)
    expect_pass(a, results, "safetensors inputs, DPS by name (solution.py)", task,
                os.path.join(task, "solution.py"))
    reports = os.path.join(tmp, "reports")
    t0 = time.time()
    p = subprocess.run([a.referee, "dataset", os.path.join(tmp, "st"), "--device", "cuda",
                        "--sandbox", a.sandbox, "--reports", reports], capture_output=True,
                       text=True, timeout=900)
    print(p.stdout)
    row(results, "referee dataset --device cuda", {"rc": p.returncode, "wall_s": time.time() - t0},
        p.returncode == 0 and "PASS" in p.stdout, p.stderr)


def sol_examples(a, results, sol_dir):
    for problem, solution in SOL_EXAMPLES:
        task = os.path.join(sol_dir, "examples", problem)
        if not os.path.isdir(task):
            continue
        r = evaluate(a, task, os.path.join(task, solution))
        lines = r["stderr"].splitlines()
        missing = r["rc"] == 2 and len(lines) == 1 and ("needs" in lines[0] or "no " in lines[0])
        ok = r["rc"] == 0 or missing
        row(results, "SOL-ExecBench examples/" + problem, r, ok,
            medians(r) if r["rc"] == 0 else r["stderr"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--referee", required=True)
    ap.add_argument("--sandbox", default="on")
    ap.add_argument("--sol-dir")
    ap.add_argument("--out")
    a = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)  # the sandboxed worker runs under another uid
        own_fixtures(a, results, tmp)
        if a.sol_dir:
            sol_examples(a, results, a.sol_dir)
    bad = [r["name"] for r in results if not r["ok"]]
    print("sol_kinds: %s" % ("all as expected" if not bad else "NOT as expected: " + ", ".join(bad)))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(results, f, indent=1)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
