#!/usr/bin/env python3
"""End-to-end checks of `referee eval|compare|calibrate` beyond the per-candidate cases:
exit codes and one-line errors for bad input, JSON with raw samples, the roofline floor,
SOL-ExecBench and KernelBench samples run unchanged, and the paired comparison.

Usage: cli_test.py REFEREE SOURCE_DIR BUILD_DIR
"""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_checks  # noqa: E402

REFEREE, SRC, BUILD = sys.argv[1:4]
CPU = os.path.join(SRC, "kernels/cpu")
DATA = os.path.join(SRC, "harness/tests/testdata")
QUICK = ["--quick", "--mode", "hot", "--call-timeout", "5"]
CHECKS = e2e_checks.Checks(REFEREE, QUICK)
run, expect, eval_json = CHECKS.run, CHECKS.expect, CHECKS.eval_json


# Bad input: exit 2 with one line `path:line:col: error: ...`, no traceback.
with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, "definition.json"), "w") as f:
        f.write('{"name": "x",\n  "inputs": [1, 2,\n')
    rc, out, err = run("eval", "--task", d, "--candidate", os.path.join(CPU, "vector_add/candidates/honest.py"))
    expect("malformed task exits 2", rc == 2, err)
    expect("malformed task names file:line:col", "definition.json:3:" in err and "error:" in err, err)
rc, out, err = run("eval", "--task", os.path.join(CPU, "vector_add"), "--candidate", "/nonexistent.py")
expect("missing candidate exits 2", rc == 2 and "no such candidate" in err, err)
rc, out, err = run("eval", "--task", os.path.join(CPU, "vector_add"))
expect("missing --candidate is a usage error", rc == 2, err)
rc, out, err = run("eval", "--task", os.path.join(CPU, "vector_add"), "--candidate",
                   os.path.join(CPU, "vector_add/candidates/honest.py"), "--device", "cuda")
# No GPU (or no CUPTI injection library) here: one clean line, exit 2.
expect("--device cuda without a GPU exits 2 with one line",
       rc == 2 and ("CUPTI" in err or "GPU" in err) and len(err.strip().splitlines()) == 1, err)

# Candidates run in the sandbox wherever the host supports it.
rc_check, _, _ = run("sandbox", "check")
if rc_check == 0:
    for cand in ("vector_add/candidates/honest.py", "vector_add/candidates/cache_output.py"):
        rc, rep, err = eval_json(os.path.join(CPU, "vector_add"), os.path.join(CPU, cand),
                                 "--sandbox", "on", "--no-reference-timing")
        expect("sandboxed %s: launcher is the sandbox" % cand,
               rep.get("launcher") == "sandbox" and rc == (0 if "honest" in cand else 1),
               json.dumps(rep)[:400] + err)
else:
    print("skip sandboxed runs: `referee sandbox check` fails on this host")

# JSON report: verdict, timing summary, raw samples, speedup, SOL score.
rc, rep, err = eval_json(os.path.join(CPU, "matmul"), os.path.join(CPU, "matmul/candidates/honest.py"))
w = rep.get("workloads", [{}])[0]
expect("honest matmul passes (exit 0)", rc == 0 and rep.get("verdict") == "PASS", err)
expect("JSON keeps raw samples", len(w.get("samples_s", [])) >= 6, json.dumps(w)[:500])
expect("JSON has speedups vs reference and baseline",
       "vs_reference" in w.get("speedup", {}) and "vs_baseline" in w.get("speedup", {}), json.dumps(w)[:800])
expect("JSON has quartiles and CI", all(k in w.get("timing", {}).get("candidate", {})
                                        for k in ("median", "q1", "q3", "iqr", "ci95_low", "ci95_high")))
expect("JSON has a SOL score", isinstance(w.get("sol_score"), float), json.dumps(w)[:800])

# Text report: the verdict table.
rc, out, err = run("eval", "--task", os.path.join(CPU, "row_sum"), "--candidate",
                   os.path.join(CPU, "row_sum/candidates/no_work.py"), *QUICK)
expect("text report shows FAIL with check and reason",
       rc == 1 and "verdict: FAIL [all-zero-output]" in out, out + err)

# Roofline floor: peaks claimed absurdly low make an honest time "impossible".
with tempfile.TemporaryDirectory() as d:
    cal = os.path.join(d, "slow.json")
    with open(cal, "w") as f:
        json.dump({"device": "fake", "flops_per_s": 1e3, "dram_bytes_per_s": 1e3,
                   "cache_bytes_per_s": 1e3}, f)
    rc, rep, err = eval_json(os.path.join(CPU, "vector_add"),
                             os.path.join(CPU, "vector_add/candidates/honest.py"),
                             "--calibration", cal, "--no-reference-timing")
    expect("time below the roofline floor is rejected",
           rc == 1 and rep.get("failure", {}).get("check") == "below-roofline", json.dumps(rep)[:600] + err)
    # Calibration writes a usable peaks file.
    out_file = os.path.join(d, "dev.json")
    rc, out, err = run("calibrate", "--output", out_file, "--seconds", "0.6")
    expect("calibrate writes peaks", rc == 0 and os.path.exists(out_file), err)
    if os.path.exists(out_file):
        peaks = json.load(open(out_file))
        expect("calibrated peaks are positive",
               all(peaks[k] > 0 for k in ("flops_per_s", "dram_bytes_per_s", "cache_bytes_per_s")))
        rc, rep, err = eval_json(os.path.join(CPU, "vector_add"),
                                 os.path.join(CPU, "vector_add/candidates/honest.py"),
                                 "--calibration", out_file)
        expect("honest candidate passes with measured peaks", rc == 0, json.dumps(rep)[:600] + err)

# GPU calibration on a host without a GPU: one line, exit 2 (on the GPU machine it measures:
# tests/gpu/harness_acceptance.sh).
if not os.path.exists("/proc/driver/nvidia/gpus"):
    rc, out, err = run("calibrate", "--device", "cuda", "--seconds", "0.5")
    expect("calibrate --device cuda without a GPU: exit 2, one line",
           rc == 2 and len(err.strip().splitlines()) == 1 and "no NVIDIA GPU" in err, err)

# SOL-ExecBench: definition.json + workload.jsonl + solution.json run unchanged.
sol = os.path.join(DATA, "solexecbench/rmsnorm")
rc, rep, err = eval_json(sol, os.path.join(sol, "solution.json"))
expect("SOL-ExecBench DPS solution passes on both workloads",
       rc == 0 and len(rep.get("workloads", [])) == 2, json.dumps(rep)[:600] + err)
rc, rep, err = eval_json(sol, os.path.join(sol, "solution_hack.json"))
expect("SOL-ExecBench solution that writes nothing fails",
       rc == 1 and rep.get("failure", {}).get("check") == "poisoned-output", json.dumps(rep)[:600] + err)

# KernelBench: problem file + ModelNew, weights from the same seed.
kb = os.path.join(DATA, "kernelbench")
for problem, cand, want in [("19_ReLU.py", "relu_new.py", 0), ("99_Linear.py", "linear_new.py", 0),
                            ("99_Linear.py", "linear_wrong_weights.py", 1)]:
    rc, rep, err = eval_json(os.path.join(kb, problem), os.path.join(kb, cand))
    expect("KernelBench %s on %s exits %d" % (cand, problem, want), rc == want,
           json.dumps(rep)[:600] + err)

# Paired comparison: the library matmul is faster than one that sleeps 20 ms per call, and
# the reverse is slower; a hacking B invalidates the comparison.
mm = os.path.join(CPU, "matmul")
slow = os.path.join(SRC, "tests/harness_e2e/data/matmul_slow.py")
rc, out, err = run("compare", "--task", mm, os.path.join(mm, "candidates/honest.py"), slow,
                   "--json", *QUICK)
try:
    cmp = json.loads(out)
except ValueError:
    cmp = {}
expect("compare: a 20 ms-slower B is slower", rc == 0 and cmp.get("verdict") == "slower", out + err)
rc, out, err = run("compare", "--task", mm, slow, os.path.join(mm, "candidates/honest.py"),
                   "--json", *QUICK)
try:
    cmp = json.loads(out)
except ValueError:
    cmp = {}
expect("compare: the library matmul is faster than the sleeping one",
       rc == 0 and cmp.get("verdict") == "faster", out + err)
rc, out, err = run("compare", "--task", mm, os.path.join(mm, "candidates/honest.py"),
                   os.path.join(mm, "candidates/call_count_switch.py"), *QUICK)
expect("compare: a hacking candidate makes the comparison invalid",
       rc == 1 and "INVALID [all-zero-output]" in out, out + err)

CHECKS.exit()
