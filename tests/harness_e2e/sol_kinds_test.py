#!/usr/bin/env python3
"""SOL-ExecBench input and solution kinds through `referee eval` on the CPU (issue 17 item 3):
custom_inputs_entrypoint definitions (inputs drawn by the trusted reference worker, fresh every
call), safetensors workload inputs (read and bounded by the parent; malformed files are one
located line), and destination_passing_style both ways.

Usage: sol_kinds_test.py REFEREE SOURCE_DIR
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

REFEREE, SRC = sys.argv[1:3]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_checks  # noqa: E402
import safetensors_writer  # noqa: E402

DATA = os.path.join(SRC, "harness/tests/testdata/solexecbench")
QUICK = ["--quick", "--mode", "hot", "--call-timeout", "5", "--no-reference-timing"]
CHECKS = e2e_checks.Checks(REFEREE, QUICK)
run, expect, eval_json = CHECKS.run, CHECKS.expect, CHECKS.eval_json


def one_line_error(rc, err, *needles):
    lines = err.strip().splitlines()
    return rc == 2 and len(lines) == 1 and all(n in lines[0] for n in needles)


def check_custom_inputs(tmp):
    task = os.path.join(DATA, "custom_inputs")
    rc, rep, err = eval_json(task, os.path.join(task, "solution.json"))
    expect("custom inputs: a return-style solution passes both workloads",
           rc == 0 and len(rep.get("workloads", [])) == 2, json.dumps(rep)[:600] + err)
    # Passes only if probs and index never change: fresh custom inputs every call catch it.
    rc, rep, err = eval_json(task, os.path.join(task, "solution_cache.json"))
    expect("custom inputs are fresh every call (a solution reusing them fails)",
           rc == 1 and rep.get("failure", {}).get("check") == "wrong-output",
           json.dumps(rep)[:600] + err)
    # Malformed: a custom input without the entry point; a generator giving the wrong shape.
    bad = os.path.join(tmp, "custom_bad")
    shutil.copytree(task, bad)
    d = json.load(open(os.path.join(task, "definition.json")))
    del d["custom_inputs_entrypoint"]
    json.dump(d, open(os.path.join(bad, "definition.json"), "w"), indent=2)
    rc, out, err = run("eval", "--task", bad, "--candidate", os.path.join(bad, "solution.json"))
    expect("custom input without custom_inputs_entrypoint: one located line, exit 2",
           one_line_error(rc, err, "workload.jsonl:1:", "custom_inputs_entrypoint"), err)
    d = json.load(open(os.path.join(task, "definition.json")))
    d["reference"] = d["reference"].replace("(rows,), device", "(rows, 2), device")
    json.dump(d, open(os.path.join(bad, "definition.json"), "w"), indent=2)
    rc, out, err = run("eval", "--task", bad, "--candidate", os.path.join(bad, "solution.json"),
                       *QUICK)
    expect("a custom-inputs function of the wrong shape: one line naming it, exit 2",
           one_line_error(rc, err, "make_inputs", "index", "shape"), err)


def safetensors_task(tmp, name, patch=None, raw=None):
    """The safetensors_add problem under tmp/name/L1/, its blob file at tmp/name/blob/ (found
    from a parent of the problem directory, as SOL-ExecBench's blob roots)."""
    root = os.path.join(tmp, name)
    task = os.path.join(root, "L1", "safetensors_add")
    shutil.copytree(os.path.join(DATA, "safetensors_add"), task)
    os.makedirs(os.path.join(root, "blob"))
    blob = os.path.join(root, "blob", "add_fixed.safetensors")
    data = safetensors_writer.encode(safetensors_writer.add_fixed_tensors(), patch)
    with open(blob, "wb") as f:
        f.write(raw(data) if raw else data)
    return task, blob


def check_safetensors(tmp):
    task, _ = safetensors_task(tmp, "st_good")
    rc, rep, err = eval_json(task, os.path.join(task, "solution.py"))
    expect("safetensors inputs (bf16 and int64, blob in a parent directory) pass",
           rc == 0 and len(rep.get("workloads", [])) == 2, json.dumps(rep)[:600] + err)

    def offsets(h):
        h["b8"]["data_offsets"] = [0, 1 << 62]

    def dtype(h):
        h["b8"]["dtype"] = "F32"

    def missing(h):
        del h["scale8"]
    cases = [
        ("header length past the file", None, lambda b: struct.pack("<Q", 1 << 40) + b[8:],
         "at byte 0:"),
        ("header not JSON", None, lambda b: b[:8] + b'{"b8": [' + b[16:], "header is not JSON"),
        ("offsets out of the file", offsets, None, "data_offsets"),
        ("dtype unlike the definition's", dtype, None, "has dtype 'F32'"),
        ("tensor missing", missing, None, "no tensor 'scale8'"),
        ("file shorter than 8 bytes", None, lambda b: b[:3], "shorter than 8 bytes"),
    ]
    for i, (what, patch, raw, needle) in enumerate(cases):
        task, blob = safetensors_task(tmp, "st_bad%d" % i, patch, raw)
        rc, out, err = run("eval", "--task", task, "--candidate",
                           os.path.join(task, "solution.py"), *QUICK)
        expect("safetensors %s: one line naming the file and the byte, exit 2" % what,
               one_line_error(rc, err, blob + ": error:", "at byte", needle), err)


def write_solution(path, dps, code):
    sol = {"name": os.path.basename(path), "definition": "001_rmsnorm_h256", "author": "tests",
           "spec": {"languages": ["pytorch"], "target_hardware": ["LOCAL"],
                    "entry_point": "main.py::run", "destination_passing_style": dps},
           "sources": [{"path": "main.py", "content": code}]}
    json.dump(sol, open(path, "w"))


def check_destination_passing(tmp):
    task = os.path.join(DATA, "rmsnorm")
    rms = ("import torch\n\n\ndef rms(h, w, eps):\n    x = h.float()\n"
           "    return (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w).to(h.dtype)\n")
    ret = os.path.join(tmp, "solution_return.json")
    write_solution(ret, False, rms + "\n\ndef run(hidden_states, weight, eps):\n"
                                     "    return rms(hidden_states, weight, eps)\n")
    rc, rep, err = eval_json(task, ret)
    expect("destination_passing_style false: a return-style solution passes",
           rc == 0 and len(rep.get("workloads", [])) == 2, json.dumps(rep)[:600] + err)
    rc, rep, err = eval_json(task, os.path.join(task, "solution.json"))
    expect("destination_passing_style true: a DPS solution passes",
           rc == 0 and len(rep.get("workloads", [])) == 2, json.dumps(rep)[:600] + err)
    wrong = os.path.join(tmp, "solution_wrong_style.json")
    write_solution(wrong, True, rms + "\n\ndef run(hidden_states, weight, eps):\n"
                                      "    return rms(hidden_states, weight, eps)\n")
    rc, rep, err = eval_json(task, wrong)
    expect("destination_passing_style true on a return-style run(): rejected",
           rc == 1 and rep.get("failure", {}).get("check") == "candidate-error",
           json.dumps(rep)[:600] + err)


def check_solution_languages(tmp):
    """C++ solutions (binding torch) run on the GPU only; a Python DSL solution whose package is
    missing is one line naming the module (tests/gpu/sol_kinds.sh runs them where they can)."""
    task = os.path.join(DATA, "rmsnorm")
    cuda = os.path.join(task, "solution_cuda.json")
    rc, out, err = run("eval", "--task", task, "--candidate", cuda, *QUICK)
    expect("a cuda_cpp solution on the CPU backend: one line at the solution, exit 2",
           one_line_error(rc, err, cuda + ": error:", "cuda_cpp", "GPU only", "--device cuda"),
           err)
    dsl = os.path.join(tmp, "solution_cute_dsl.json")
    sol = {"name": "rms_cute", "definition": "001_rmsnorm_h256", "author": "tests",
           "spec": {"languages": ["cute_dsl"], "target_hardware": ["LOCAL"],
                    "entry_point": "kernel.py::run", "destination_passing_style": False},
           "sources": [{"path": "kernel.py", "content": "import cutlass\n\n\ndef run(h, w, e):\n"
                                                        "    return h\n"}]}
    json.dump(sol, open(dsl, "w"))
    probe = subprocess.run(["/usr/bin/python3", "-c", "import cutlass"], capture_output=True)
    if probe.returncode == 0:
        print("skip cute_dsl without its package: cutlass is installed here")
        return
    rc, out, err = run("eval", "--task", task, "--candidate", dsl, *QUICK)
    expect("a cute_dsl solution without its package: one line naming the module, exit 2",
           one_line_error(rc, err, dsl + ": error:", "cute_dsl", "'cutlass'"), err)


with tempfile.TemporaryDirectory() as tmp:
    os.chmod(tmp, 0o755)  # the sandboxed worker runs under another uid
    check_solution_languages(tmp)
    check_custom_inputs(tmp)
    check_safetensors(tmp)
    check_destination_passing(tmp)
CHECKS.exit()
