"""Device acceptance for the GPU harness (issue #7), driven by harness_acceptance.sh.

For every kernels/gpu/<task>/candidates.json entry:
  honest (expect PASS): evaluated by `referee eval --device cuda` (cold mode), and measured
    independently by the test fixture fixtures/independent_driver.py (a plain flush+call loop in
    a separate traced process, kernel-time sum per call); PASS needs the verdict PASS and
    |median - independent| <= 3% of independent.
  hacking (expect REJECTED): the verdict must be REJECTED with the expected reason.
  min_median_us: the median must be at least this (the un-joined side-stream probe).
Prints a table, writes JSON to --out, exits 0 only when every row is as expected.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "fixtures"))
import independent_driver  # noqa: E402  (the independent CUPTI measurement, a test fixture)


def candidates(tasks_root, only, hacks_of=()):
    for task in sorted(os.listdir(tasks_root)):
        manifest = os.path.join(tasks_root, task, "candidates.json")
        if not os.path.exists(manifest):
            continue
        if only and task not in only and task not in hacks_of:
            continue
        with open(manifest) as f:
            for c in json.load(f):
                if task in hacks_of and task not in (only or ()) and c["expect"] == "PASS":
                    continue
                yield task, os.path.join(tasks_root, task), c


def cand_spec(task, task_dir, c, so_dir):
    path = os.path.join(task_dir, c["file"])
    if path.endswith(".cu"):
        name = os.path.basename(path)[:-3]
        spec = {"path": path, "language": "cuda", "so": os.path.join(so_dir, f"{task}_{name}.so")}
        with open(path) as f:
            if "referee_run_torch" in f.read():  # built with the shim (harness_build.sh)
                spec["torch_shim"] = os.path.join(so_dir, os.pardir, "libreferee_torch_shim.so")
        return spec
    return {"path": path, "language": "python"}


def judge(row, c, tol):
    r = row["result"]
    ok = r["verdict"] == c["expect"]
    if c["expect"] == "REJECTED":  # "a|b": either check (kernels/README.md)
        allowed = set()
        for want in c["reason"].split("|"):
            allowed |= REASON_ALIASES.get(want, {want})
        ok = ok and r["reason"] in allowed
    if c["expect"] == "PASS" and row.get("independent_us"):
        row["diff_pct"] = 100.0 * (r["median_us"] - row["independent_us"]) / row["independent_us"]
        ok = ok and abs(row["diff_pct"]) <= tol
    if "min_median_us" in c:
        ok = ok and (r["median_us"] or 0) >= c["min_median_us"]
    row["ok"] = ok
    return row


# Accepted synonyms of a manifest's expected reason.
# all-zero-output: the harness's name for a wrong output that is all zeros (stale memory that
# happened to be zeroed).
REASON_ALIASES = {"monkey-patch": {"monkey-patch", "timer-tamper"},
                  "wrong-output": {"wrong-output", "all-zero-output"}}


def referee_eval(binary, task_dir, path, honest, timeout, sandbox="off"):
    """One `referee eval --device cuda` run, as a result dict."""
    cmd = [binary, "eval", "--task", task_dir, "--candidate", path, "--device", "cuda",
           "--json", "--sandbox", sandbox, "--no-reference-timing", "--call-timeout", "30"]
    # No --quick, even for hacking candidates: its few calls (and 3 s cap) end before a
    # call-count switch flips (softmax/hack_call_count.py switches after 5 calls).
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"verdict": "TIMEOUT", "reason": "timeout", "median_us": None, "detail": "",
                "log": ""}
    try:
        j = json.loads(p.stdout)
    except ValueError:
        return {"verdict": "ERROR", "reason": f"exit {p.returncode}", "median_us": None,
                "detail": p.stderr[-400:], "log": p.stderr[-600:]}
    w = j["workloads"][0] if j.get("workloads") else {}
    fail = j.get("failure") or {}
    med = w.get("timing", {}).get("candidate", {}).get("median")
    detail = fail.get("reason", "")
    span = re.search(r"GPU span ([0-9.]+) us", detail)
    if med is None and span:  # a rejected call's GPU span (the side-stream probe)
        med = float(span.group(1)) * 1e-6
    return {"verdict": "PASS" if j["verdict"] == "PASS" else "REJECTED",
            "reason": fail.get("check"), "median_us": None if med is None else med * 1e6,
            "detail": detail, "samples": len(w.get("samples_s", [])), "mode": j.get("mode"),
            "log": p.stderr[-600:]}


def run_one(task, task_dir, c, a):
    spec = cand_spec(task, task_dir, c, a.so_dir)
    honest = c["expect"] == "PASS"
    t0 = time.time()
    r = referee_eval(a.referee, task_dir, spec["path"], honest, a.eval_timeout, a.sandbox)
    row = {"task": task, "file": c["file"], "expect": c["expect"],
           "expected_reason": c.get("reason"), "category": c.get("category"), "result": r,
           "eval_s": time.time() - t0}
    if honest and r["verdict"] == "PASS" and "min_median_us" not in c:
        ind = independent_driver.independent(task_dir, spec, a.lib, a.tool, calls=a.calls)
        row["independent_us"] = ind["kernel_median_us"]
    row = judge(row, c, a.tolerance_pct)
    print(f"row {task} {os.path.basename(c['file'])}: {r['verdict']} {r['reason'] or ''} "
          f"median_us={fmt(r['median_us'])} independent_us={fmt(row.get('independent_us'))} "
          f"ok={row['ok']} ({row['eval_s']:.0f} s) {'' if row['ok'] else r.get('detail', '')[:160]}",
          flush=True)
    return row


def fmt(v, p=1):
    return "-" if v is None else f"{v:.{p}f}"


def print_table(rows):
    print("| task | candidate | expect | verdict | reason | median us | independent us | diff % "
          "| SM MHz | ok |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        r = row["result"]
        print(f"| {row['task']} | {os.path.basename(row['file'])} | {row['expect']}"
              f"{' (' + row['expected_reason'] + ')' if row['expected_reason'] else ''} | "
              f"{r['verdict']} | {r['reason'] or ''} | {fmt(r['median_us'])} | "
              f"{fmt(row.get('independent_us'))} | {fmt(row.get('diff_pct'), 2)} | "
              f"{fmt(r.get('sm_clock_mhz'), 0)} | {'yes' if row['ok'] else 'NO'} |")
        if not row["ok"] and r.get("detail"):
            print(f"|   detail: {r['detail'][:200]} |")
        if not row["ok"] and r.get("log"):
            print("|   log: " + r["log"][-600:].replace("\n", " / ") + " |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--tool", required=True)
    ap.add_argument("--so-dir", required=True)
    ap.add_argument("--tasks", default="kernels/gpu")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--calls", type=int, default=15, help="calls of the independent measurement")
    ap.add_argument("--jobs", type=int, default=4, help="hacking candidates evaluated at once")
    ap.add_argument("--tolerance-pct", type=float, default=3.0)
    ap.add_argument("--out")
    ap.add_argument("--referee", required=True,
                    help="the referee binary: every candidate goes through `referee eval --device cuda`")
    ap.add_argument("--eval-timeout", type=float, default=150)
    ap.add_argument("--sandbox", default="off", choices=["auto", "on", "off"],
                    help="referee eval --sandbox (with --referee)")
    ap.add_argument("--hacks-of", nargs="*", default=[],
                    help="with --only: also the hacking candidates of these tasks")
    a = ap.parse_args()
    todo = list(candidates(a.tasks, a.only, a.hacks_of))
    hacks = [t for t in todo if t[2]["expect"] != "PASS"]
    honest = [t for t in todo if t[2]["expect"] == "PASS"]
    rows = []
    # Verdicts of hacking candidates do not depend on quiet timing: run them concurrently.
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        rows += list(pool.map(lambda t: run_one(*t, a), hacks))
    rows += [run_one(*t, a) for t in honest]  # one at a time: their medians are compared
    rows.sort(key=lambda r: (r["task"], r["expect"] != "PASS", r["file"]))
    print_table(rows)
    if a.out:
        with open(a.out, "w") as f:
            json.dump(rows, f, indent=1)
    bad = [r for r in rows if not r["ok"]]
    print(f"{len(rows) - len(bad)}/{len(rows)} as expected")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
