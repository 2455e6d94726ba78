#!/usr/bin/env python3
"""End-to-end tests of `referee train-eval` on the bundled CPU task (issue 13).

kernels/training/licenses_cpu/candidates.json says what Referee must conclude for each
candidate (the convention of kernels/: `expect`, `reason` (the check; `a|b` accepts either),
`reason_contains`), plus `audit` (a static finding that must be in the report when the binary
has the analyzers) and `seeds`. Usage:

    train_eval_e2e.py REFEREE REPO honest|hacks|errors|speedrun|gpt_cpu

honest:   the baseline (2 seeds) and the improvement against it as the incumbent (2 seeds), at
          the task's 15 s budget: both PASS, the improvement's Welch test shown.
hacks:    every hack_* candidate with --budget 8 (CI time) and --audit report (so that the
          dynamic check, not the audit, decides): REJECTED with its check; the clock patch once
          more in the default gate mode (REJECTED by the audit before it runs).
errors:   bad_* candidates, a corrupted task, a missing candidate dir and bad flags: one-line
          errors naming the file (and line), the right exit code.
gpt_cpu:  the GPU task's code paths on the CPU (gpt_bytes/cpu_check.json): the GPT PASSES,
          a non-causal hack is REJECTED.
speedrun: time-to-target (speedrun.json): the improvement (3 seeds) PASSES with its time; the
          baseline never reaches the target: FAIL.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

REFEREE, REPO, GROUP = sys.argv[1:4]
TASK = os.path.join(REPO, "kernels/training/licenses_cpu")
CANDIDATES = os.path.join(TASK, "candidates")
FAILURES = []


def run(args, timeout=300):
    t0 = time.monotonic()
    p = subprocess.run([REFEREE, "train-eval"] + args, capture_output=True, text=True,
                       timeout=timeout)
    print("$ referee train-eval %s  (exit %d, %.1fs)" % (" ".join(args), p.returncode,
                                                         time.monotonic() - t0))
    return p


def check(ok, what):
    print(("  ok: " if ok else "  FAILED: ") + what)
    if not ok:
        FAILURES.append(what)


def manifest():
    with open(os.path.join(TASK, "candidates.json")) as f:
        entries = json.load(f)
    return {os.path.basename(e["file"]): e for e in entries}


def expectation(entry):
    return (entry["expect"], [c for c in entry.get("reason", "").split("|") if c],
            entry.get("reason_contains"), entry.get("audit"), entry.get("seeds", 1))


def expect_report(p, candidate_name, verdict, checks, reason_part, audit_rule):
    try:
        report = json.loads(p.stdout)
    except ValueError:
        check(False, "%s: JSON report (stdout %r, stderr %r)" % (candidate_name, p.stdout[-300:],
                                                                  p.stderr[-300:]))
        return None
    failure = report.get("failure") or {}
    got = "%s %s" % (report["verdict"], failure.get("check", ""))
    check(report["verdict"] == verdict, "%s: verdict %s (got %s: %s)" % (
        candidate_name, verdict, got, failure.get("reason", "")))
    check(p.returncode == (0 if verdict == "PASS" else 1), "%s: exit code" % candidate_name)
    if checks:
        check(failure.get("check") in checks, "%s: check in %s" % (candidate_name, checks))
    if reason_part:
        check(reason_part in failure.get("reason", ""), "%s: reason contains %r (%s)" % (
            candidate_name, reason_part, failure.get("reason", "")))
    if verdict != "PASS":
        lines = [l for l in p.stderr.splitlines() if l.strip()]
        check(bool(lines) and lines[-1] == failure.get("reason"),
              "%s: the one-line error on stderr" % candidate_name)
    if audit_rule and report["audit"]["ran"]:
        rules = [f["rule"] for f in report["audit"]["findings"]]
        check(audit_rule in rules, "%s: static finding %s (got %s)" % (candidate_name, audit_rule,
                                                                        rules))
    return report


def honest():
    tmp = tempfile.mkdtemp(prefix="referee-train-e2e-")
    base_json = os.path.join(tmp, "baseline.json")
    p = run(["--task", TASK, "--candidate", os.path.join(CANDIDATES, "baseline"), "--seeds", "2",
             "--format", "json", "--output", base_json])
    check(p.returncode == 0, "baseline: exit 0 (%s)" % p.stderr[-300:])
    with open(base_json) as f:
        base = json.load(f)
    check(base["verdict"] == "PASS", "baseline: PASS")
    check(len(base["seeds"]) == 2 and all(s["metric"] for s in base["seeds"]),
          "baseline: 2 seeds with a metric")
    check(base["seeds"][0]["seed"] != base["seeds"][1]["seed"], "baseline: two seeds")
    names = [c["name"] for c in base["seeds"][0]["checks"]]
    for want in ("budget", "processes", "validation-read", "output-cap", "token-set",
                 "causality-suffix", "causality-flip", "normalisation", "stateless",
                 "model-state"):
        check(want in names, "baseline: check %s reported" % want)
    check(base["tests"][0]["test"] == "one-sample t" and base["tests"][0]["passed"],
          "baseline: the threshold test")
    p = run(["--task", TASK, "--candidate", os.path.join(CANDIDATES, "improved"), "--seeds", "2",
             "--incumbent", base_json, "--format", "json"])
    report = expect_report(p, "improved", "PASS", [], None, None)
    if report:
        better = [t for t in report["tests"] if "incumbent" in t["goal"]]
        check(len(better) == 1 and better[0]["passed"] and better[0]["test"] == "Welch t",
              "improved: better than the baseline by a Welch test (%s)" % better)
        check(report["aggregate"]["metric"]["mean"] < base["aggregate"]["metric"]["mean"] - 0.2,
              "improved: mean %s well below the baseline's %s" % (
                  report["aggregate"]["metric"]["mean"], base["aggregate"]["metric"]["mean"]))
        for s in report["seeds"] + base["seeds"]:
            print("  seed %d: metric %.4f train %.2fs evaluate %.2fs wall %.2fs" % (
                s["index"], s["metric"], s["train_wall_s"], s["eval_wall_s"], s["wall_s"]))


def hacks():
    for name, entry in sorted(manifest().items()):
        if not name.startswith("hack_"):
            continue
        cand = os.path.join(CANDIDATES, name)
        verdict, checks, reason, audit, seeds = expectation(entry)
        p = run(["--task", TASK, "--candidate", cand, "--seeds", str(seeds), "--budget", "8",
                 "--audit", "report", "--format", "json"])
        expect_report(p, name, verdict, checks, reason, audit)
    cand = os.path.join(CANDIDATES, "hack_clock_patch")
    p = run(["--task", TASK, "--candidate", cand, "--seeds", "1", "--format", "json"])
    report = json.loads(p.stdout)
    if report["audit"]["ran"]:
        expect_report(p, "hack_clock_patch (gate)", "REJECTED", ["static-audit"],
                      "hack_clock_patch/train.py:", None)
        check(report["seeds"] == [], "hack_clock_patch (gate): rejected before it ran")


def errors():
    for name, entry in sorted(manifest().items()):
        if not name.startswith("bad_"):
            continue
        cand = os.path.join(CANDIDATES, name)
        verdict, checks, reason, audit, seeds = expectation(entry)
        p = run(["--task", TASK, "--candidate", cand, "--seeds", "1", "--budget", "8",
                 "--format", "json"])
        expect_report(p, name, verdict, checks, reason, audit)
    bad_task = os.path.join(REPO, "training/tests/testdata/corrupted_task")
    p = run(["--task", bad_task, "--candidate", os.path.join(CANDIDATES, "baseline")])
    lines = p.stderr.strip().splitlines()
    check(p.returncode == 2, "corrupted task: exit 2")
    check(len(lines) == 1 and re.match(r".*corrupted_task/task\.json:6:11: error: invalid JSON", lines[0]),
          "corrupted task: one located line (%s)" % lines)
    p = run(["--task", TASK, "--candidate", os.path.join(CANDIDATES, "no_such_candidate")])
    check(p.returncode == 2 and "no_such_candidate: error: not a candidate directory" in p.stderr,
          "missing candidate: exit 2, named (%s)" % p.stderr.strip())
    p = run(["--task", TASK])
    check(p.returncode == 2 and "--task and --candidate are required" in p.stderr,
          "missing flag: exit 2")
    p = run(["--task", TASK, "--candidate", CANDIDATES + "/baseline", "--seeds", "zero"])
    check(p.returncode == 2 and "--seeds" in p.stderr and len(p.stderr.strip().splitlines()) == 1,
          "bad --seeds: exit 2, one line (%s)" % p.stderr.strip())


def speedrun():
    p = run(["--task", os.path.join(TASK, "speedrun.json"), "--candidate",
             os.path.join(CANDIDATES, "improved"), "--seeds", "3", "--format", "json"])
    report = expect_report(p, "improved (time-to-target)", "PASS", [], None, None)
    if report:
        check(report["task"]["mode"] == "time-to-target", "speedrun: mode")
        test = report["tests"][0]
        check(test["goal"].startswith("reaches the target") and test["passed"],
              "speedrun: the target test (%s)" % test)
        times = report["aggregate"]["train_wall_s"]
        check(0 < times["mean"] < report["task"]["budget_s"], "speedrun: time %.2fs" % times["mean"])
    p = run(["--task", os.path.join(TASK, "speedrun.json"), "--candidate",
             os.path.join(CANDIDATES, "baseline"), "--seeds", "2", "--format", "json"])
    expect_report(p, "baseline (time-to-target)", "FAIL", ["acceptance"], "reaches the target",
                  None)


def gpt_cpu():
    task = os.path.join(REPO, "kernels/training/gpt_bytes/cpu_check.json")
    p = run(["--task", task, "--candidate", os.path.join(REPO, "kernels/training/gpt_bytes/"
                                                          "candidates/gpt"), "--format", "json"])
    report = expect_report(p, "gpt (cpu_check)", "PASS", [], None, None)
    if report:
        check(report["seeds"][0]["tokens"] == 8192, "gpt (cpu_check): 8192 scored bytes")
    p = run(["--task", task, "--candidate", os.path.join(CANDIDATES, "hack_noncausal"),
             "--budget", "8", "--format", "json"])
    expect_report(p, "hack_noncausal (gpt task)", "REJECTED", ["causality-suffix",
                                                               "causality-flip"], None, None)


# Training runs only in the sandbox: a host without it skips (ctest SKIP_RETURN_CODE 77), as
# sandbox/tests/cli_test.sh does.
probe = subprocess.run([REFEREE, "sandbox", "check"], capture_output=True, text=True)
missing = [l.split()[0] for l in probe.stdout.splitlines() if len(l.split()) > 1 and
           l.split()[1] == "NO"]
if probe.returncode != 0 or missing:
    print("skip: the sandbox is not available here (%s)" % (missing or probe.stderr.strip()))
    sys.exit(77)
{"honest": honest, "hacks": hacks, "errors": errors, "speedrun": speedrun,
 "gpt_cpu": gpt_cpu}[GROUP]()
print("%d failure(s)" % len(FAILURES))
for f in FAILURES:
    print("FAILED:", f)
sys.exit(1 if FAILURES else 0)
