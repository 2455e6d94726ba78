#!/usr/bin/env python3
"""The judge cannot be crashed by what it judges (issue 20), end to end.

usage: hostile_audit_test.py PATH/TO/referee SOURCE_DIR [unittest args]

Regenerates the classes of input that crashed, hung or blew up `referee audit` (issue 20's
minimal reproductions: deep nesting, long chains, wide syntax errors, a lone CR, quadratic
inputs, Clang parser recursion, a macro that doubles, patterns that nest) and audits them in one
run beside the bundled hacking examples: each hostile file must end as exactly one error line of
its own, the hacking examples' findings must all be there, and the run must exit 2 (an input
error) rather than crash.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

REFEREE = ""
SOURCE_DIR = ""

# name -> content. Each must be reported as that file's error (or parsed without one).
PYTHON = {
    "parens_65535.py": "(" * 65535,
    "lone_cr.py": "import a\rb=1",
    "call_chain.py": "x = f" + "()" * 10000,
    "attribute_chain.py": "x = " + "a." * 30000 + "a",
    "subscript_chain.py": "x = a" + "[0]" * 30000,
    "sum_line.py": "1+" * 30000 + "1",
    "annotation.py": "import torch\nx: int\ndef f(seed):\n    torch.manual_seed(0)\n",
}
CPP = {
    "unary_5000.cc": "int f(){ return " + "-" * 5000 + "1; }",
    "unary_100000.cc": "int f(){ return " + "-" * 100000 + "1; }",
    "angle_3000.cc": "A<" * 3000,
    "long_identifier.cu": "__global__ void k(float* x) { x[0] = " + "q" * 100000 + "; }",
    # 2^40 tokens once expanded: only the memory budget stops it.
    "macro_doubling.cu": "".join(f"#define A{i + 1} A{i} A{i}\n" for i in range(40)) +
                         "#define A0 x\nint y = A40;\n",
}
HACKING = ("cached_side_stream.cu", "timing_getenv.cpp", "model_new_cached.py")


def run(args, cwd):
    proc = subprocess.run([REFEREE] + args, cwd=cwd, capture_output=True, text=True, timeout=900)
    return proc.returncode, proc.stdout, proc.stderr


def has_clang_analyzer():
    """False in a build without the Clang analyzer (the sanitized CI scope, nollvm): its C++ and
    CUDA files are skipped there, so only the Python half of this test applies."""
    with tempfile.TemporaryDirectory(prefix="referee-hostile-probe-") as d:
        with open(os.path.join(d, "probe.cpp"), "w") as f:
            f.write("int f();\n")
        _, out, _ = run(["audit", "--format", "json", "probe.cpp"], d)
        return json.loads(out)["files"][0]["status"] != "skipped"


class HostileAuditTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.clang = has_clang_analyzer()

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="referee-hostile-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, name, text):
        with open(os.path.join(self.dir, name), "w", newline="") as f:
            f.write(text)

    def test_each_hostile_file_is_its_own_error_and_other_findings_are_kept(self):
        cpp = CPP if self.clang else {}
        hacking = HACKING if self.clang else tuple(h for h in HACKING if h.endswith(".py"))
        for name, text in {**PYTHON, **cpp}.items():
            self.write(name, text)
        for name in hacking:
            shutil.copy(os.path.join(SOURCE_DIR, "examples", name), self.dir)
        rc, out, err = run(["audit", "--format", "json", "-j", "2", "--file-timeout", "20",
                            "--file-memory", "1536", "."], self.dir)
        self.assertEqual(rc, 2, err)
        report = json.loads(out)
        files = {f["path"]: f for f in report["files"]}
        self.assertEqual(set(files), set(PYTHON) | set(cpp) | set(hacking))
        for name in PYTHON:
            # Python analyses never crash: at worst a located error of their own.
            self.assertNotIn("crashed", files[name].get("error", ""), name)
            if files[name]["status"] == "error":
                self.assertRegex(files[name]["error"], rf"^{re.escape(name)}:\d+:\d+: error: ")
        for name in ("unary_100000.cc", "angle_3000.cc", "macro_doubling.cu")[:len(cpp)]:
            self.assertEqual(files[name]["status"], "error", name)
            self.assertRegex(files[name]["error"], rf"^{re.escape(name)}(:\d+:\d+)?: error: ")
        flagged = {f["path"] for f in report["findings"]}
        for name in hacking:
            self.assertEqual(files[name]["status"], "ok", name)
            self.assertIn(name, flagged)
        # One line per file error on stderr, nothing else but the summary and notes.
        for line in err.splitlines():
            self.assertRegex(line, r"^(\S+: (error|note): |referee: )", line)

    def test_a_file_that_grows_without_bound_meets_the_memory_budget(self):
        if not self.clang:
            self.skipTest("built without the Clang analyzer")
        self.write("macro_doubling.cu", CPP["macro_doubling.cu"])
        shutil.copy(os.path.join(SOURCE_DIR, "examples", "timing_getenv.cpp"), self.dir)
        rc, out, err = run(["audit", "--format", "json", "-j", "2", "--file-timeout", "600",
                            "--file-memory", "768", "."], self.dir)
        self.assertEqual(rc, 2, err)
        files = {f["path"]: f for f in json.loads(out)["files"]}
        self.assertEqual(files["macro_doubling.cu"]["error"],
                         "macro_doubling.cu: error: the analysis used more than the per-file "
                         "memory budget of 768 MiB")
        self.assertEqual(files["timing_getenv.cpp"]["status"], "ok")

    def test_hostile_rules_are_located_rule_errors(self):
        os.makedirs(os.path.join(self.dir, "r", "cpp", "timing"))
        os.makedirs(os.path.join(self.dir, "r", "python", "timing"))
        head = ("id: {id}\ntitle: t\ncategory: timing\nseverity: warning\nlanguages: [{lang}]\n"
                "message: m\nrationale: r\n")
        with open(os.path.join(self.dir, "r", "cpp", "timing", "timing-deep-matcher.yaml"),
                  "w") as f:
            f.write(head.format(id="timing-deep-matcher", lang="cuda") +
                    "matcher: " + "anyOf(" * 10000 + "stmt()" + ")" * 10000 + "\n")
        with open(os.path.join(self.dir, "r", "python", "timing", "timing-deep-query.yaml"),
                  "w") as f:
            f.write(head.format(id="timing-deep-query", lang="python") +
                    "query: " + "(" * 100000 + "\n")
        shutil.copy(os.path.join(SOURCE_DIR, "examples", "timing_getenv.cpp"), self.dir)
        for args in (["rules", "lint", "r"], ["audit", "--rules", "r", "timing_getenv.cpp"]):
            rc, out, err = run(args, self.dir)
            self.assertEqual(rc, 2, args)
            self.assertIn("timing-deep-matcher.yaml:8:615: error: pattern nests too deep", err)
            self.assertIn("timing-deep-query.yaml:8:108: error: pattern nests too deep", err)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    REFEREE = os.path.abspath(sys.argv[1])
    SOURCE_DIR = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
