#!/usr/bin/env python3
"""`referee dataset DIR` (issue 17 item 3) on a small SOL-ExecBench-layout dataset built here:
category directories of problem directories (scripts/run_dataset.py's layout), each problem's
solution in its own directory or none (the reference runs as the solution). One problem's bad
definition is one located line and an ERROR row; the others are still evaluated and reported.

Usage: dataset_test.py REFEREE SOURCE_DIR
"""
import json
import os
import shutil
import sys
import tempfile

REFEREE, SRC = sys.argv[1:3]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_checks  # noqa: E402
import safetensors_writer  # noqa: E402

DATA = os.path.join(SRC, "harness/tests/testdata/solexecbench")
QUICK = ["--quick", "--mode", "hot", "--call-timeout", "5"]
CHECKS = e2e_checks.Checks(REFEREE, QUICK, timeout=500, detail_chars=2000)
run, expect = CHECKS.run, CHECKS.expect


def copy_problem(src, dst, keep):
    """The problem's definition and workloads, and of its solutions only `keep`."""
    shutil.copytree(src, dst)
    for name in os.listdir(dst):
        if name.startswith("solution") and name not in keep:
            os.remove(os.path.join(dst, name))


def build_dataset(root):
    copy_problem(os.path.join(DATA, "rmsnorm"), os.path.join(root, "L1/rmsnorm"),
                 ["solution.json"])
    os.makedirs(os.path.join(root, "L1/broken"))
    with open(os.path.join(root, "L1/broken/definition.json"), "w") as f:
        f.write('{"name": "broken",\n  "inputs": [1, 2,\n')
    open(os.path.join(root, "L1/broken/workload.jsonl"), "w").close()
    copy_problem(os.path.join(DATA, "custom_inputs"), os.path.join(root, "L2/custom_inputs"),
                 ["solution.json"])
    copy_problem(os.path.join(DATA, "safetensors_add"), os.path.join(root, "L2/safetensors_add"),
                 ["solution.py"])
    os.makedirs(os.path.join(root, "blob"))
    safetensors_writer.write(os.path.join(root, "blob/add_fixed.safetensors"),
                             safetensors_writer.add_fixed_tensors())
    # No solution: the reference itself is evaluated, as run_dataset.py's identity solution.
    copy_problem(os.path.join(DATA, "rmsnorm"), os.path.join(root, "Quant/reference_only"), [])


def rows(stdout):
    out = {}
    for line in stdout.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2 and parts[0] != "total:":
            out[parts[0]] = parts[1]
    return out


with tempfile.TemporaryDirectory() as tmp:
    os.chmod(tmp, 0o755)  # the sandboxed worker runs under another uid
    root = os.path.join(tmp, "dataset")
    build_dataset(root)
    reports = os.path.join(tmp, "reports")
    rc, out, err = run("dataset", root, "--reports", reports, *QUICK)
    got = rows(out)
    want = {"L1/broken": "ERROR", "L1/rmsnorm": "PASS", "L2/custom_inputs": "PASS",
            "L2/safetensors_add": "PASS", "Quant/reference_only": "PASS"}
    expect("one row per problem with its verdict", got == want, out + err)
    expect("a bad problem makes the exit 2 (the others still evaluated)", rc == 2, out + err)
    lines = err.strip().splitlines()
    expect("the bad problem is one line naming its file and position",
           len(lines) == 1 and "L1/broken/definition.json:3:" in lines[0] and
           "error:" in lines[0], err)
    header = out.splitlines()[0] if out else ""
    expect("the table has verdict, mean SOL score, seconds and per-workload scores",
           all(k in header for k in ("problem", "verdict", "mean_sol", "seconds",
                                     "sol per workload")), out)
    rms = [l for l in out.splitlines() if l.startswith("L1/rmsnorm")]
    expect("a passed problem's row has a score for each of its two workloads and their mean",
           rms and len(rms[0].split()) == 6, out)
    expect("a total line", "total: 5 problems, 4 passed, 0 failed, 1 errors" in out, out)
    for label in want:
        path = os.path.join(reports, label + ".json")
        if want[label] == "ERROR":
            expect("no report for the bad problem", not os.path.exists(path), path)
            continue
        try:
            rep = json.load(open(path))
        except (OSError, ValueError) as e:
            expect("report of %s" % label, False, str(e))
            continue
        expect("report of %s: problem, verdict, workloads" % label,
               rep.get("problem") == label and rep.get("verdict") == "PASS" and
               len(rep.get("workloads", [])) == 2, json.dumps(rep)[:500])
    # A category filter and a single problem directory.
    rc, out, err = run("dataset", root, "--category", "L2", "--reports", reports,
                       "--no-reference-timing", *QUICK)
    expect("--category L2 evaluates its two problems, exit 0",
           rc == 0 and set(rows(out)) == {"L2/custom_inputs", "L2/safetensors_add"}, out + err)
    rc, out, err = run("dataset", os.path.join(root, "L1/rmsnorm"), "--reports", reports,
                       "--no-reference-timing", *QUICK)
    expect("a problem directory alone is one row", rc == 0 and rows(out) == {"rmsnorm": "PASS"},
           out + err)
    # Several solutions and no --solution-name: that problem's one line, the others go on.
    shutil.copy(os.path.join(DATA, "custom_inputs/solution_cache.json"),
                os.path.join(root, "L2/custom_inputs"))
    rc, out, err = run("dataset", root, "--category", "L2", "--reports", reports,
                       "--no-reference-timing", *QUICK)
    expect("two solutions without --solution-name: an ERROR row naming them, the rest run",
           rc == 2 and rows(out) == {"L2/custom_inputs": "ERROR", "L2/safetensors_add": "PASS"}
           and "solution_cache.json" in err and "--solution-name" in err, out + err)
    rc, out, err = run("dataset", root, "--category", "L2", "--solution-name",
                       "solution_cache.json", "--reports", reports, "--no-reference-timing",
                       *QUICK)
    expect("--solution-name picks the file; a problem without it is an ERROR row",
           rc == 2 and rows(out).get("L2/custom_inputs") == "FAIL" and
           rows(out).get("L2/safetensors_add") == "ERROR", out + err)
    rc, out, err = run("dataset", os.path.join(tmp, "nothing-here"))
    expect("a directory that does not exist: one line, exit 2",
           rc == 2 and len(err.strip().splitlines()) == 1, err)
CHECKS.exit()
