#!/usr/bin/env python3
"""Runs `referee eval` on one bundled candidate and checks the verdict its manifest declares.

Every task directory under kernels/ lists its candidates in candidates.json (the one way to
state expected verdicts, kernels/README.md): {"file", "expect": "PASS"|"REJECTED", "reason":
"check[|check...]", "reason_contains", "task"}. Usage:
    run_case.py REFEREE MANIFEST FILE CANDIDATE_PATH [extra referee args...]
FILE is the entry's "file"; CANDIDATE_PATH what to evaluate (a built .so for a .cc source).
"""
import json
import os
import subprocess
import sys


def entry_of(manifest, file):
    with open(manifest) as f:
        for e in json.load(f):
            if e["file"] == file:
                return e
    raise SystemExit("%s: no entry for %s" % (manifest, file))


def main():
    referee, manifest, file, candidate = sys.argv[1:5]
    extra = sys.argv[5:]
    e = entry_of(manifest, file)
    task = os.path.normpath(os.path.join(os.path.dirname(manifest), e.get("task", ".")))
    want = "PASS" if e["expect"] == "PASS" else "FAIL"
    checks = [c for c in e.get("reason", "").split("|") if c]
    reason_part = e.get("reason_contains")
    evidence_part = e.get("evidence_contains")
    cmd = [referee, "eval", "--task", task, "--candidate", candidate, "--quick", "--mode", "hot",
           "--json", "--call-timeout", "3"] + extra
    if os.environ.get("REFEREE_E2E_SANDBOX"):  # auto (default), on or off
        cmd += ["--sandbox", os.environ["REFEREE_E2E_SANDBOX"]]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    print(" ".join(cmd))
    print(p.stderr[-2000:])
    try:
        report = json.loads(p.stdout)
    except ValueError:
        print("not JSON (exit %d):" % p.returncode, p.stdout[-2000:])
        return 1
    verdict = report["verdict"]
    check = report.get("failure", {}).get("check", "")
    reason = report.get("failure", {}).get("reason", "")
    evidence = report.get("failure", {}).get("evidence", "")
    print("verdict", verdict, check, reason)
    if verdict != want:
        print("FAILED: expected", want)
        return 1
    if want == "PASS" and p.returncode != 0 or want == "FAIL" and p.returncode != 1:
        print("FAILED: exit code", p.returncode)
        return 1
    if checks and check not in checks:
        print("FAILED: expected check in", checks)
        return 1
    if reason_part and reason_part not in reason:
        print("FAILED: expected the reason to contain", reason_part)
        return 1
    if evidence_part and evidence_part not in evidence:
        print("FAILED: expected the candidate's evidence to contain", evidence_part)
        return 1
    if want == "PASS":
        for w in report["workloads"]:
            if not w["samples_s"] or w["full_checks"] * 4 < w["calls"]:
                print("FAILED: PASS without samples or with < 25% full checks")
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
