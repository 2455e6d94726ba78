#!/usr/bin/env python3
"""Runs `referee eval` on one candidate and checks the verdict its header declares.

The first line of every candidate under kernels/cpu/ reads `# expect: PASS` or
`# expect: FAIL <check>[|<check>...]` (`//` for C++); an optional second line
`# reason-contains: TEXT` asks for TEXT in the failure's reason. Usage:
    run_case.py REFEREE TASK_DIR CANDIDATE_SOURCE CANDIDATE_PATH [extra referee args...]
"""
import json
import os
import re
import subprocess
import sys


def main():
    referee, task, source, candidate = sys.argv[1:5]
    extra = sys.argv[5:]
    with open(source) as f:
        m = re.search(r"expect:\s*(PASS|FAIL)\s*(\S*)", f.readline())
        # An optional second line `# reason-contains: TEXT`: the failure's reason must hold TEXT.
        r = re.search(r"reason-contains:\s*(.+?)\s*$", f.readline())
        reason_part = r.group(1) if r else None
    if not m:
        print("no '# expect:' header in", source)
        return 1
    want, checks = m.group(1), [c for c in m.group(2).split("|") if c]
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
    if want == "PASS":
        for w in report["workloads"]:
            if not w["samples_s"] or w["full_checks"] * 4 < w["calls"]:
                print("FAILED: PASS without samples or with < 25% full checks")
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
