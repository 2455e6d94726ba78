#!/usr/bin/env python3
"""Candidates that crash, hang or fork, through `referee search` with the real harness: each
is a one-line reason in the journal (crash, timeout; the fork quarantined as child-process)
and the search runs on; a resume afterwards finds nothing to redo. The audit runs with an
empty rule directory so that the fork reaches the harness (the bundled rules flag it).

usage: robustness_test.py REFEREE SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile
import time

PROPOSER = r'''
import json, sys
request = json.load(sys.stdin)
bodies = {
    1: "import os\nimport signal\n\n\ndef run(x, y):\n    os.kill(os.getpid(), signal.SIGSEGV)\n",
    2: "def run(x, y):\n    while True:\n        x = x + 0\n",
    3: ("import os\nimport time\n\n_child = [None]\n\n\ndef run(x, y):\n"
        "    if _child[0] is None:\n        pid = os.fork()\n        if pid == 0:\n"
        "            time.sleep(30)\n            os._exit(0)\n        _child[0] = pid\n"
        "    return torch.add(x, y)\n"),
}
body = bodies.get(request["round"])
if body is None:
    json.dump({"proposals": []}, sys.stdout)
    sys.exit(0)
src = request["parent"]["files"]["seed.py"]
head, rest = src.split("# referee: begin-editable\n", 1)
_, tail = rest.split("# referee: end-editable\n", 1)
json.dump({"files": {"seed.py": head + "# referee: begin-editable\n" + body +
                     "# referee: end-editable\n" + tail},
           "rationale": ["crash", "hang", "fork"][request["round"] - 1]}, sys.stdout)
'''

EXPECTED = {2: ("rejected", "crash"), 3: ("rejected", "timeout"), 4: ("quarantined", "child-process")}


def main():
    referee, src = sys.argv[1], sys.argv[2]
    root = tempfile.mkdtemp(prefix="referee-search-robust-")
    os.chmod(root, 0o755)
    rules = os.path.join(root, "no-rules")
    os.mkdir(rules)
    proposer = os.path.join(root, "bad_proposer.py")
    with open(proposer, "w") as f:
        f.write(PROPOSER)
    os.chmod(proposer, 0o644)
    journal = os.path.join(root, "s")
    t0 = time.time()
    subprocess.run([referee, "search", "init", "--dir", journal,
                    "--task", os.path.join(src, "kernels", "cpu", "vector_add"),
                    "--start", os.path.join(src, "search", "demo", "cpu", "seed.py"),
                    "--proposer", "bad=/usr/bin/python3 " + proposer, "--threads", "1",
                    "--candidates", "3", "--rounds", "4", "--quick", "--call-timeout", "5",
                    "--rules", rules], check=True, capture_output=True)
    r = subprocess.run([referee, "search", "run", "--dir", journal], capture_output=True,
                       text=True)
    print(r.stderr)
    if r.returncode != 0:
        print("FAIL: run exited %d" % r.returncode)
        return 1
    stages = [json.loads(l) for l in subprocess.run(
        [referee, "search", "export", "--dir", journal, "--table", "stages", "--format",
         "jsonl"], capture_output=True, text=True, check=True).stdout.splitlines()]
    cands = {c["id"]: c for c in map(json.loads, subprocess.run(
        [referee, "search", "export", "--dir", journal, "--table", "candidates", "--format",
         "jsonl"], capture_output=True, text=True, check=True).stdout.splitlines())}
    for cand, (status, check) in EXPECTED.items():
        failed = [s for s in stages if s["candidate"] == cand and s["status"] == "fail"]
        if cands[cand]["status"] != status or not failed or failed[0]["check"] != check:
            print("FAIL: candidate %d: %s %s, expected %s [%s]" %
                  (cand, cands[cand]["status"], failed, status, check))
            return 1
        if "\n" in failed[0]["reason"]:
            print("FAIL: a reason of more than one line: %r" % failed[0]["reason"])
            return 1
        print("candidate %d (%s): %s [%s] %s" % (cand, cands[cand]["rationale"], status, check,
                                                 failed[0]["reason"][:100]))
    again = subprocess.run([referee, "search", "resume", "--dir", journal], capture_output=True,
                           text=True)
    if again.returncode != 0 or "candidates: 3 of 3" not in again.stdout:
        print("FAIL: resume: %d %s %s" % (again.returncode, again.stdout, again.stderr))
        return 1
    print("robustness: PASS in %.0f s" % (time.time() - t0))
    subprocess.run(["rm", "-rf", root])
    return 0


if __name__ == "__main__":
    sys.exit(main())
