"""What the harness end-to-end scripts (cli_test.py, sol_kinds_test.py, dataset_test.py) share:
running referee, collecting named expectations, and the exit status they end with."""
import json
import subprocess
import sys


class Checks:
    def __init__(self, referee, quick, timeout=200, detail_chars=1500):
        self.referee = referee
        self.quick = list(quick)  # the eval flags every eval_json call adds
        self.timeout = timeout
        self.detail_chars = detail_chars
        self.failures = []

    def run(self, *args):
        p = subprocess.run([self.referee, *args], capture_output=True, text=True,
                           timeout=self.timeout)
        return p.returncode, p.stdout, p.stderr

    def expect(self, name, cond, detail=""):
        print(("ok   " if cond else "FAIL ") + name +
              ("" if cond else ": " + detail[-self.detail_chars:]))
        if not cond:
            self.failures.append(name)

    def eval_json(self, task, cand, *extra):
        """`referee eval --json` with the quick flags: (exit code, report or {}, stderr)."""
        rc, out, err = self.run("eval", "--task", task, "--candidate", cand, "--json",
                                *self.quick, *extra)
        try:
            return rc, json.loads(out), err
        except ValueError:
            return rc, {}, err + out

    def exit(self):
        print("%d failure(s)" % len(self.failures))
        sys.exit(1 if self.failures else 0)
