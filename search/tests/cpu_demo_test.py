#!/usr/bin/env python3
"""The CPU demo (issue 19 item 9), end to end through `referee search`, with a kill -9 mid-run.

On kernels/cpu/vector_add, starting from a correct but slow program (search/demo/cpu/seed.py),
two scripted proposers in two threads: an honest one whose two real improvements must be
accepted and confirmed as new global bests, and a cheating one whose six reward hacks must each
be quarantined with the right incident (a static rule where the audit knows the trick, the
harness's dynamic check where it does not). The first run is killed with SIGKILL right after
the first acceptance; `referee search resume` must end in the expected decisions. A secret in
the environment must reach neither proposer (the honest one fails if it sees it).

usage: cpu_demo_test.py REFEREE SOURCE_DIR
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

# candidate -> the incident checks that are right for it (static rule | dynamic check)
EXPECTED_INCIDENTS = {
    3: ("caching", ("output-caching-input-keyed-cache", "stateful-output")),
    5: ("stale memory", ("persistent-state-call-count-switch", "stateful-output")),
    6: ("thread deferral", ("timing-worker-thread", "thread-growth")),
    7: ("timer patch", ("harness-tampering-timer-monkeypatch", "timer-tamper")),
    8: ("input mutation", ("input-mutation-write-into-input", "input-mutated")),
    9: ("previous result", ("stateful-output",)),
}
EXPECTED_DECISIONS = [
    ("accept", 2, "BETTER", True), ("confirm", 2, "BETTER", True),
    ("accept", 4, "BETTER", True), ("confirm", 4, "BETTER", True),
]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def main():
    referee, src = sys.argv[1], sys.argv[2]
    root = tempfile.mkdtemp(prefix="referee-search-demo-")
    os.chmod(root, 0o755)  # the sandboxed proposers run as another user
    journal = os.path.join(root, "demo")
    py = "/usr/bin/python3"
    demo = os.path.join(src, "search", "demo", "cpu")
    env = dict(os.environ, DEMO_SECRET_TOKEN="sk-must-not-leak")
    init = [referee, "search", "init", "--dir", journal,
            "--task", os.path.join(src, "kernels", "cpu", "vector_add"),
            "--start", os.path.join(demo, "seed.py"),
            "--proposer", "honest=%s %s" % (py, os.path.join(demo, "honest_proposer.py")),
            "--proposer", "cheat=%s %s" % (py, os.path.join(demo, "cheating_proposer.py")),
            "--threads", "2", "--assign", "per-thread", "--merge-every", "0",
            "--migrate-every", "0", "--stagnation", "0", "--candidates", "8", "--rounds", "6",
            "--quick"]
    t0 = time.time()
    r = subprocess.run(init, capture_output=True, text=True)
    if r.returncode != 0:
        fail("init: " + r.stderr)
    run = subprocess.Popen([referee, "search", "run", "--dir", journal], env=env,
                           stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    killed_at = None
    for line in run.stderr:
        sys.stdout.write("  run: " + line)
        if "candidate 2 ACCEPTED" in line:
            run.send_signal(signal.SIGKILL)
            killed_at = time.time() - t0
            break
    run.wait()
    if killed_at is None:
        fail("the first run ended (%d) before the first acceptance" % run.returncode)
    t1 = time.time()
    r = subprocess.run([referee, "search", "resume", "--dir", journal], env=env,
                       capture_output=True, text=True)
    for line in r.stderr.splitlines():
        print("  resume: " + line)
    if r.returncode != 0:
        fail("resume exited %d: %s" % (r.returncode, r.stderr[-500:]))
    if "global best: candidate 4" not in r.stdout:
        fail("resume: " + r.stdout)
    total = time.time() - t0
    report = json.loads(subprocess.run([referee, "search", "report", "--dir", journal, "--json"],
                                       capture_output=True, text=True, check=True).stdout)
    decisions = [(d["kind"], d["candidate"], d["verdict"], d["applied"])
                 for d in report["decisions"]]
    if decisions != EXPECTED_DECISIONS:
        fail("decisions %s, expected %s" % (decisions, EXPECTED_DECISIONS))
    incidents = {i["candidate"]: i["check"] for i in report["incidents"]}
    for cand, (hack, allowed) in EXPECTED_INCIDENTS.items():
        check = incidents.get(cand)
        if check is None or not check.startswith(allowed):
            fail("%s (candidate %d): incident %r, expected one of %s" % (hack, cand, check, allowed))
        print("  %-16s candidate %d quarantined: %s" % (hack, cand, check))
    if len(incidents) != len(EXPECTED_INCIDENTS):
        fail("unexpected incidents: %s" % incidents)
    csv = subprocess.run([referee, "search", "export", "--dir", journal, "--table", "candidates",
                          "--format", "jsonl"], capture_output=True, text=True, check=True).stdout
    rows = {row["id"]: row for row in map(json.loads, csv.splitlines())}
    for cand in EXPECTED_INCIDENTS:
        if rows[cand]["status"] != "quarantined":
            fail("candidate %d is %s, not quarantined" % (cand, rows[cand]["status"]))
    if rows[4]["status"] != "accepted" or report["global_best"]["id"] != 4:
        fail("the vectorized add is not the global best")
    if report.get("reexecution", {}).get("status") != "pass":
        fail("the global best did not re-run: %s" % report.get("reexecution"))
    sessions = report["sessions"]
    if len(sessions) != 2 or not sessions[0]["stop_reason"].startswith("killed"):
        fail("sessions: %s" % sessions)
    status = subprocess.run([referee, "search", "status", "--dir", journal],
                            capture_output=True, text=True, check=True).stdout
    if "global best: candidate 4" not in status:
        fail("status: " + status)
    speedup = report["global_best"]["metrics"]["speedup_vs_seed"]
    print("cpu demo: PASS in %.0f s (killed after %.0f s, resumed in %.0f s); best %.1fx the start"
          % (total, killed_at, time.time() - t1, speedup))
    subprocess.run(["rm", "-rf", root])
    return 0


if __name__ == "__main__":
    sys.exit(main())
