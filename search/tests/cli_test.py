#!/usr/bin/env python3
"""`referee search` end to end with the fake judge (fast): usage errors, a search with built-in
and external proposers over two threads, kill -9 twice then resume ending in the decisions of
an uninterrupted run, proposers that hang, crash, answer garbage or patch outside the
editable region, secrets and the allow-list, status/report/export/baseline, and a corrupt
journal page repaired on resume.

usage: cli_test.py REFEREE SOURCE_DIR
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

SEED = """BLOCK = 256  # referee: tune BLOCK in [64, 128, 256, 512, 1024]
WARPS = 4  # referee: tune WARPS in [2, 4, 8]
# referee: begin-editable
# fake: time=0.001*256/BLOCK*4/WARPS
def run(x, y):
    return x + y
# referee: end-editable
"""

# Deterministic in its request; slow enough (50 ms) for a kill to land mid-run.
SCRIPTED = r'''
import json, sys, time
time.sleep(0.05)
r = json.load(sys.stdin)
blocks = [64, 128, 256, 512, 1024]
b = blocks[(r["seq"] * 3) % len(blocks)]
if r["seq"] % 4 == 0:
    src = r["parent"]["files"]["seed.py"]
    src = src.replace("def run(x, y):", "# fake: fail=thread-growth@1\ndef run(x, y):")
    json.dump({"files": {"seed.py": src}, "rationale": "hack"}, sys.stdout)
else:
    json.dump({"params": {"BLOCK": b}, "rationale": "block %d" % b}, sys.stdout)
'''

# One failure mode per round, then a valid proposal; reports whether it sees the secret.
MISBEHAVING = r'''
import json, os, signal, sys, time
r = json.load(sys.stdin)
n = r["round"]
if n == 1:
    time.sleep(30)
if n == 2:
    os.kill(os.getpid(), signal.SIGSEGV)
if n == 3:
    print("this is not json")
    sys.exit(0)
if n == 4:
    diff = ("--- a/seed.py\n+++ b/seed.py\n@@ -1,2 +1,2 @@\n"
            "-BLOCK = 256  # referee: tune BLOCK in [64, 128, 256, 512, 1024]\n"
            "+BLOCK = 999  # referee: tune BLOCK in [64, 128, 256, 512, 1024]\n"
            " WARPS = 4  # referee: tune WARPS in [2, 4, 8]\n")
    json.dump({"diff": diff, "rationale": "unlisted value"}, sys.stdout)
    sys.exit(0)
secret = "present" if "FAKE_API_KEY" in os.environ else "absent"
json.dump({"params": {"WARPS": 8}, "rationale": "secret " + secret,
           "cost": {"usd": 0.25}}, sys.stdout)
'''


class Checker:
    def __init__(self, referee, root):
        self.referee, self.root, self.failures = referee, root, 0

    def run(self, *args, env=None):
        return subprocess.run([self.referee, "search"] + list(args), capture_output=True,
                              text=True, env=env)

    def expect(self, ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        self.failures += 0 if ok else 1

    def script(self, name, text):
        path = os.path.join(self.root, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o644)
        return path

    def init(self, journal, *extra):
        seed = os.path.join(self.root, "seed.py")
        with open(seed, "w") as f:
            f.write(SEED)
        task = os.path.join(self.root, "task")
        os.makedirs(task, exist_ok=True)
        with open(os.path.join(task, "definition.json"), "w") as f:
            f.write('{"name": "fake", "description": "x + y"}\n')
        r = self.run("init", "--dir", journal, "--task", task, "--start", seed, "--judge", "fake",
                     *extra)
        self.expect(r.returncode == 0, "init %s: %s" % (os.path.basename(journal), r.stderr.strip()))

    def decisions(self, journal):
        out = self.run("export", "--dir", journal, "--table", "decisions", "--format", "jsonl")
        return [(d["kind"], d["candidate"], d["verdict"], d["applied"])
                for d in map(json.loads, out.stdout.splitlines())]

    def table(self, journal, table):
        out = self.run("export", "--dir", journal, "--table", table, "--format", "jsonl")
        return [json.loads(l) for l in out.stdout.splitlines()]


def usage(c):
    r = c.run()
    c.expect(r.returncode == 2 and "usage: referee search" in r.stderr, "no subcommand: usage, exit 2")
    r = c.run("init", "--dir", os.path.join(c.root, "x"))
    c.expect(r.returncode == 2 and r.stderr.strip().count("\n") == 0 and
             "needs --task" in r.stderr, "init without --task: one line, exit 2")
    r = c.run("status", "--dir", os.path.join(c.root, "none"))
    c.expect(r.returncode == 2 and "no search journal here" in r.stderr, "status of nothing: exit 2")
    r = c.run("run", "--dir", os.path.join(c.root, "none"), "--bogus", "1")
    c.expect(r.returncode == 2 and "unknown option '--bogus'" in r.stderr, "unknown option: exit 2")


def kill_and_resume(c, scripted):
    common = ["--proposer", "tune", "--proposer", "scripted=/usr/bin/python3 " + scripted,
              "--threads", "2", "--merge-every", "2", "--migrate-every", "3", "--candidates", "10",
              "--seed", "5"]
    ref = os.path.join(c.root, "reference")
    c.init(ref, *common)
    r = c.run("run", "--dir", ref)
    c.expect(r.returncode == 0 and "search stopped: candidates: 10 of 10" in r.stdout,
             "reference run: " + r.stdout.strip())
    reference = c.decisions(ref)
    c.expect(len(reference) >= 4, "reference decisions: %d" % len(reference))
    # Three local slots (worker processes): concurrent evaluations, the same decisions.
    slots = os.path.join(c.root, "slots")
    c.init(slots, *common, "--executor", "local", "--slots", "3")
    r = c.run("run", "--dir", slots)
    c.expect(r.returncode == 0 and "on the local executor" in r.stderr,
             "3 local slots: batches ran in workers: " + r.stdout.strip())
    got = c.decisions(slots)
    c.expect(got == reference, "3 local slots: the decisions of one slot" +
             ("" if got == reference else ": %s vs %s" % (got, reference)))
    killed = os.path.join(c.root, "killed")
    c.init(killed, *common)
    for delay in (0.5, 0.9):
        p = subprocess.Popen([c.referee, "search", "run", "--dir", killed],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
    r = c.run("resume", "--dir", killed)
    c.expect(r.returncode == 0, "resume after two kill -9: " + r.stdout.strip())
    got = c.decisions(killed)
    c.expect(got == reference, "same decisions as the uninterrupted run" +
             ("" if got == reference else ": %s vs %s" % (got, reference)))
    sessions = json.loads(c.run("report", "--dir", killed, "--json").stdout)["sessions"]
    c.expect(sum(s["stop_reason"].startswith("killed") for s in sessions) >= 1,
             "the killed sessions are recorded as killed")
    return ref


def misbehaving(c, script):
    env = dict(os.environ, FAKE_API_KEY="sk-test")
    for name, allow in (("proposers", []), ("allowed", ["--allow-env", "FAKE_API_KEY"])):
        journal = os.path.join(c.root, name)
        c.init(journal, "--proposer", "bad=/usr/bin/python3 " + script, "--threads", "1",
               "--candidates", "1", "--proposals", "10", "--proposer-timeout", "1", *allow)
        r = c.run("run", "--dir", journal, env=env)
        c.expect(r.returncode == 0, "%s: the search survives its proposer (%s)" %
                 (name, r.stdout.strip()))
        props = c.table(journal, "proposals")
        got = [(p["status"], p["reason"][:60]) for p in props]
        want = [("failed", "no answer within 1 s (hang)"), ("failed", "crashed (signal 11)"),
                ("failed", "malformed proposer answer: not JSON"),
                ("rejected", "seed.py:1:1: error: tunable BLOCK = 999 is not one of its"),
                ("ok", "")]
        c.expect(len(got) == 5 and all(g[0] == w[0] and g[1].startswith(w[1])
                                       for g, w in zip(got, want)),
                 "%s: each misbehaviour is a failed or rejected proposal: %s" % (name, got))
        cands = c.table(journal, "candidates")
        seen = "present" if allow else "absent"
        c.expect(cands[-1]["rationale"] == "secret " + seen,
                 "%s: the proposer's secret is %s" % (name, seen))
        status = c.run("status", "--dir", journal).stdout
        c.expect("proposer $0.25" in status, "%s: the proposer's cost is counted" % name)


def views(c, journal):
    s = c.run("status", "--dir", journal)
    c.expect(s.returncode == 0 and "global best: candidate" in s.stdout and "budget:" in s.stdout,
             "status")
    r = c.run("report", "--dir", journal)
    c.expect(r.returncode == 0 and "compute-matched baseline" in r.stdout and
             "incidents" in r.stdout, "report")
    csv = c.run("export", "--dir", journal, "--table", "stages", "--format", "csv").stdout
    c.expect(csv.startswith("id,candidate,stage,attempt,status"), "export csv")
    b = c.run("baseline", "--dir", journal)
    c.expect(b.returncode == 0 and "search_candidates" in b.stdout, "baseline estimate")
    b = c.run("baseline", "--dir", journal, "--run")
    c.expect(b.returncode == 0 and "baseline candidates" in b.stdout, "baseline run: " + b.stdout)


def corrupt(c, journal):
    db = os.path.join(journal, "journal.db")
    data = bytearray(open(db, "rb").read())
    pages = len(data) // 4096
    data[(pages - 2) * 4096:(pages - 1) * 4096] = b"\xa5" * 4096
    open(db, "wb").write(bytes(data))
    r = c.run("status", "--dir", journal)
    c.expect(r.returncode == 2 and r.stderr.count("\n") == 1 and "--repair" in r.stderr,
             "a corrupt page: one line, exit 2: " + r.stderr.strip())
    r = c.run("resume", "--dir", journal, "--repair", "--candidates", "12")
    c.expect(r.returncode == 0 and "salvaged" in r.stderr, "resume --repair: " + r.stdout.strip())


def main():
    referee = sys.argv[1]
    root = tempfile.mkdtemp(prefix="referee-search-cli-")
    os.chmod(root, 0o755)
    c = Checker(referee, root)
    usage(c)
    ref = kill_and_resume(c, c.script("scripted.py", SCRIPTED))
    misbehaving(c, c.script("misbehaving.py", MISBEHAVING))
    views(c, ref)
    corrupt(c, ref)
    subprocess.run(["rm", "-rf", root])
    print("cli: %s" % ("PASS" if c.failures == 0 else "%d FAILED" % c.failures))
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
