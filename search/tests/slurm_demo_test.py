#!/usr/bin/env python3
"""The CPU demo through the Slurm executor on a real local Slurm (issue 14 item 2).

Starts a one-node Slurm (tests/slurm/local_slurm.sh: munged, slurmctld, slurmd), then runs
search/demo/cpu with `--executor slurm`: every evaluation and comparison is a job of an sbatch
array running `referee search job`. While the first run is alive, its first job is cancelled
with scancel: the executor must journal that job as lost and resubmit it. After the first
confirmation, the search is killed with SIGKILL while round 2's two quick jobs are queued; one
is cancelled, the other runs to its end. `referee search resume` must adopt the finished job's
result (not run it again), resubmit the cancelled one, and end in the CPU demo's decisions and
incidents, with no evaluation counted twice. Fails (never skips) when Slurm cannot start: CI
installs it with scripts/setup.sh.

usage: slurm_demo_test.py REFEREE SOURCE_DIR
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cpu_demo_test import EXPECTED_DECISIONS, EXPECTED_INCIDENTS  # noqa: E402


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def our_jobs():
    r = subprocess.run(["squeue", "-h", "-r", "-n", "referee-search", "-o", "%i %T"],
                       capture_output=True, text=True)
    return [line.split() for line in r.stdout.splitlines() if line.strip()]


def scancel_first_job(state):
    """Cancels the first job of the live search that shows up (the in-run requeue path)."""
    deadline = time.time() + 60
    while time.time() < deadline and not state.get("stop"):
        jobs = our_jobs()
        if jobs:
            subprocess.run(["scancel", jobs[0][0]], check=False)
            state["cancelled_live"] = jobs[0][0]
            return
        time.sleep(0.05)


# A fixed directory: a start stops what an earlier (crashed) test left running there.
SLURM_DIR = "/tmp/referee-slurm"


def start_slurm(src):
    script = os.path.join(src, "tests", "slurm", "local_slurm.sh")
    r = subprocess.run([script, "start", SLURM_DIR], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        fail("the local Slurm did not start: " + (r.stderr or r.stdout).strip()[-800:])
    os.environ["SLURM_CONF"] = os.path.join(SLURM_DIR, "slurm.conf")
    return script


def wait_for_line(run, text):
    for line in run.stderr:
        sys.stdout.write("  run: " + line)
        if text in line:
            return True
    return False


def first_run(referee, journal, env, t0):
    """Runs until round 2's quick batch is queued (cancelling a job on the way), then kills
    the search with SIGKILL and cancels one of the two orphaned jobs; the other finishes."""
    state = {}
    killer = threading.Thread(target=scancel_first_job, args=(state,))
    run = subprocess.Popen([referee, "search", "run", "--dir", journal], env=env,
                           stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    killer.start()
    reached = (wait_for_line(run, "candidate 2 is the new GLOBAL BEST") and
               wait_for_line(run, "quick: 2 evaluation(s) on the slurm executor"))
    orphans = []
    deadline = time.time() + 30
    while reached and time.time() < deadline:
        orphans = our_jobs()
        if len(orphans) >= 2:
            run.send_signal(signal.SIGKILL)
            subprocess.run(["scancel", orphans[0][0]], check=False)
            break
        time.sleep(0.02)
    state["stop"] = True
    run.kill()
    run.wait()
    killer.join()
    if not reached or len(orphans) < 2:
        fail("the first run (exit %d) never had round 2's two quick jobs queued" %
             run.returncode)
    if not state.get("cancelled_live"):
        fail("no job of the live search to cancel")
    while our_jobs():  # the other orphan runs to its end: the resume must adopt its result
        time.sleep(0.2)
    print("  cancelled job %s under the live search; after SIGKILL cancelled %s, let %s finish"
          " (%.0f s)" % (state["cancelled_live"], orphans[0][0], orphans[1][0], time.time() - t0))
    return state["cancelled_live"], orphans[0][0], orphans[1][0]


def export(referee, journal, table):
    out = subprocess.run([referee, "search", "export", "--dir", journal, "--table", table,
                          "--format", "jsonl"], capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def check_jobs(referee, journal, live, orphan, adopted):
    """Every evaluating stage ran in a job, each lost job was replaced, nothing counted twice."""
    stages = export(referee, journal, "stages")
    done = {}
    for s in stages:
        if s["status"] in ("pass", "fail") and s["evaluations"] > 0:
            if not s["job"]:
                fail("stage %d (%s) ran outside Slurm" % (s["id"], s["stage"]))
            key = (s["candidate"], s["stage"])
            if key in done:
                fail("%s was recorded twice (stages %d and %d)" % (key, done[key], s["id"]))
            done[key] = s["id"]
    finished_jobs = [s["job"] for s in stages if s["status"] in ("pass", "fail") and s["job"]]
    if len(finished_jobs) != len(set(finished_jobs)):
        fail("a job's result was counted on two stages")
    for job, how in ((live, "cancelled under the live search"), (orphan, "cancelled after kill")):
        lost = [s for s in stages if s["job"] == job and s["status"] == "lost"]
        if not lost or job in finished_jobs:
            fail("job %s (%s): not journaled as lost, or its result was used" % (job, how))
        key = (lost[0]["candidate"], lost[0]["stage"])
        if key not in done:
            fail("job %s (%s): %s never completed after resubmission" % (job, how, key))
        print("  job %s %s: journaled lost, %s completed in job %s" %
              (job, how, key, next(s["job"] for s in stages if s["id"] == done[key])))
    rows = [s for s in stages if s["job"] == adopted]
    if [s["status"] for s in rows] not in (["lost", "pass"], ["lost", "fail"]):
        fail("job %s (finished after kill): rows %s, expected lost then adopted" %
             (adopted, [(s["id"], s["status"]) for s in rows]))
    print("  job %s finished after kill: adopted by the resume (stage %d), not run again" %
          (adopted, rows[-1]["id"]))
    report = json.loads(subprocess.run([referee, "search", "report", "--dir", journal, "--json"],
                                       capture_output=True, text=True, check=True).stdout)
    counted = report["budget"]["evaluations"][0]
    rows = sum(s["evaluations"] for s in stages if s["status"] in ("pass", "fail"))
    if counted != rows:
        fail("the budget counts %s evaluations, the stages %d" % (counted, rows))
    return report


def check_outcome(referee, journal, report):
    decisions = [(d["kind"], d["candidate"], d["verdict"], d["applied"])
                 for d in report["decisions"]]
    if decisions != EXPECTED_DECISIONS:
        fail("decisions %s, expected %s" % (decisions, EXPECTED_DECISIONS))
    incidents = {i["candidate"]: i["check"] for i in report["incidents"]}
    for cand, (hack, allowed) in EXPECTED_INCIDENTS.items():
        check = incidents.get(cand)
        if check is None or not check.startswith(allowed):
            fail("%s (candidate %d): incident %r, expected one of %s" % (hack, cand, check, allowed))
    if len(incidents) != len(EXPECTED_INCIDENTS):
        fail("unexpected incidents: %s" % incidents)
    if report["global_best"]["id"] != 4:
        fail("the vectorized add is not the global best")


def main():
    referee, src = sys.argv[1], sys.argv[2]
    root = tempfile.mkdtemp(prefix="referee-slurm-demo-")
    os.chmod(root, 0o755)  # the sandboxed proposers run as another user
    t0 = time.time()
    script = start_slurm(src)
    try:
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
                "--quick", "--executor", "slurm", "--sbatch-arg=--time=10"]
        r = subprocess.run(init, capture_output=True, text=True)
        if r.returncode != 0:
            fail("init: " + r.stderr)
        live, orphan, adopted = first_run(referee, journal, env, t0)
        r = subprocess.run([referee, "search", "resume", "--dir", journal], env=env,
                           capture_output=True, text=True, timeout=600)
        for line in r.stderr.splitlines():
            print("  resume: " + line)
        if r.returncode != 0 or "global best: candidate 4" not in r.stdout:
            fail("resume exited %d: %s" % (r.returncode, (r.stdout + r.stderr)[-500:]))
        report = check_jobs(referee, journal, live, orphan, adopted)
        check_outcome(referee, journal, report)
        print("slurm demo: PASS in %.0f s" % (time.time() - t0))
    finally:
        subprocess.run([script, "stop", SLURM_DIR], check=False)
    subprocess.run(["rm", "-rf", root])
    return 0


if __name__ == "__main__":
    sys.exit(main())
