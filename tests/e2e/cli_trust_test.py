#!/usr/bin/env python3
"""End-to-end tests of the command line as a new user meets it (issue #15): each row of the
issue's table, and the suppressions, baselines, colour, version, summary table, completion and
--format that Semgrep/clang-tidy/pytest users expect. Runs the built binary.

usage: cli_trust_test.py PATH/TO/referee SOURCE_DIR [unittest args]
"""
import json
import os
import pty
import shutil
import subprocess
import sys
import tempfile
import unittest

REFEREE = ""
SRC = ""
CPU = ""


def run(args, cwd=None, env=None, timeout=300):
    p = subprocess.run([REFEREE] + args, cwd=cwd, capture_output=True, text=True,
                       timeout=timeout, env=env)
    return p.returncode, p.stdout, p.stderr


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def sandbox_available():
    return run(["sandbox", "check"])[0] == 0


GC_HACK = "import gc\n\n\ndef run(x):\n    objs = gc.get_objects()%s\n    return x\n"
GC_RULE = "harness-tampering-frame-introspection"


class AuditRows(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_python_syntax_error_is_an_input_error(self):
        bad = write(os.path.join(self.tmp, "bad.py"), "def run(x:\n    return x\n")
        rc, _, err = run(["audit", bad])
        self.assertEqual(rc, 2, err)
        self.assertIn("bad.py:1:", err)
        self.assertIn("1 with errors", err)

    def test_quiet_shows_errors_only_and_verbose_adds_each_file(self):
        f = write(os.path.join(self.tmp, "k.py"), GC_HACK % "" + "import subprocess\n")
        rc, out, err = run(["audit", f, "-q", "--fail-on", "note"])
        self.assertEqual(rc, 1)
        for line in out.splitlines():
            self.assertNotIn(": warning:", line)
            self.assertNotIn(": note:", line)
        self.assertEqual(err, "")  # no summary, no notes
        rc, _, err = run(["audit", f, "-v"])
        self.assertIn("k.py: python, ok, ", err)

    def test_summary_table_by_rule_and_category(self):
        f = write(os.path.join(self.tmp, "k.py"), GC_HACK % "")
        _, _, err = run(["audit", f])
        self.assertIn("RULE", err)
        self.assertIn(GC_RULE, err)
        self.assertIn("CATEGORY", err)

    def test_colour_follows_the_flag_and_no_color(self):
        f = write(os.path.join(self.tmp, "k.py"), GC_HACK % "")
        _, out, _ = run(["audit", f, "--color", "always"])
        self.assertIn("\033[", out)
        _, out, _ = run(["audit", f, "--color", "never"])
        self.assertNotIn("\033[", out)
        env = dict(os.environ, NO_COLOR="1")
        _, out, _ = run(["audit", f], env=env)  # auto: not a terminal here, and NO_COLOR
        self.assertNotIn("\033[", out)

    def test_suppression_needs_the_trusted_config_and_a_reason(self):
        f = write(os.path.join(self.tmp, "sub", "k.py"),
                  GC_HACK % ("  # referee: ignore[%s] -- profiling aid" % GC_RULE))
        # The submission's own comment is not enough: the finding counts, and a note says why.
        rc, _, err = run(["audit", f])
        self.assertEqual(rc, 1)
        self.assertIn("suppression of %s ignored" % GC_RULE, err)
        # An in-tree referee.yaml cannot grant it either.
        write(os.path.join(self.tmp, "sub", "referee.yaml"), "allow_suppressions: true\n")
        rc, _, _ = run(["audit", f])
        self.assertEqual(rc, 1)
        trusted = write(os.path.join(self.tmp, "trusted", "referee.yaml"),
                        "allow_suppressions: true\n")
        rc, out, err = run(["audit", f, "--config", trusted])
        self.assertEqual(rc, 0, err)
        self.assertIn("suppressed findings (not counted):", out)  # listed, never silent
        self.assertIn("profiling aid", out)
        rc, out, _ = run(["audit", f, "--config", trusted, "--format", "json"])
        j = json.loads(out)
        self.assertEqual(j["findings"][0]["suppressed"],
                         {"kind": "inline", "justification": "profiling aid"})
        self.assertEqual(j["summary"]["suppressed"], 1)
        rc, out, _ = run(["audit", f, "--config", trusted, "--format", "sarif"])
        sup = json.loads(out)["runs"][0]["results"][0]["suppressions"]
        self.assertEqual(sup[0]["kind"], "inSource")
        # No reason: not honoured.
        g = write(os.path.join(self.tmp, "sub2", "k.py"),
                  GC_HACK % ("  # referee: ignore[%s]" % GC_RULE))
        rc, _, err = run(["audit", g, "--config", trusted])
        self.assertEqual(rc, 1)
        self.assertIn("needs a reason", err)

    def test_baseline_lets_only_new_findings_fail(self):
        tree = os.path.join(self.tmp, "tree")
        old = write(os.path.join(tree, "old.py"), GC_HACK % "")
        base = os.path.join(self.tmp, "baseline.json")
        rc, _, _ = run(["audit", tree, "--format", "json", "-o", base])
        self.assertEqual(rc, 1)
        rc, out, err = run(["audit", tree, "--baseline", base])
        self.assertEqual(rc, 0, err)
        self.assertIn("baseline", out)
        write(os.path.join(tree, "new.py"), GC_HACK % "")
        rc, _, _ = run(["audit", tree, "--baseline", base])
        self.assertEqual(rc, 1)
        # A baseline inside the audited tree could be the submission's own: refused.
        planted = os.path.join(tree, "planted.json")
        shutil.copy(base, planted)
        rc, _, err = run(["audit", tree, "--baseline", planted])
        self.assertEqual(rc, 2)
        self.assertIn("inside the audited tree", err)
        self.assertTrue(os.path.exists(old))


class RuleRows(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_rules_list_json_and_format_refused_elsewhere(self):
        rc, out, _ = run(["rules", "list", "--format", "json"])
        self.assertEqual(rc, 0)
        self.assertTrue(json.loads(out)["rules"])
        rc, _, err = run(["rules", "list", "--format", "sarif"])
        self.assertEqual(rc, 2)
        self.assertIn("--format", err)

    def test_malformed_rule_is_counted_and_located(self):
        write(os.path.join(self.tmp, "python", "timing", "x-bad.yaml"),
              'id: x-bad\ntitle: "unterminated\ncategory: timing\n')
        rc, _, err = run(["rules", "lint", self.tmp])
        self.assertEqual(rc, 2)
        self.assertIn("x-bad.yaml:2:8: error: invalid YAML: unterminated double-quoted string",
                      err)
        self.assertIn("0 rules, 1 problems", err)


class EvalRows(unittest.TestCase):
    def eval(self, cand, *extra):
        return run(["eval", "--task", os.path.join(CPU, "vector_add"), "--candidate", cand,
                    "--quick", "--json", "--call-timeout", "5", *extra])

    def task_with(self, tmp, edit):
        """A copy of the vector_add task with `edit` applied to its definition.json text."""
        task = os.path.join(tmp, "task")
        shutil.copytree(os.path.join(CPU, "vector_add"), task)
        path = os.path.join(task, "definition.json")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(edit(text))
        return task, text

    def line_of(self, text, needle):
        return text[:text.index(needle)].count("\n") + 1

    def test_misspelt_definition_key_is_located_with_did_you_mean(self):
        with tempfile.TemporaryDirectory() as tmp:
            task, text = self.task_with(tmp, lambda t: t.replace('"tolerance"', '"tolerence"'))
            rc, out, err = run(["eval", "--task", task, "--candidate",
                                os.path.join(CPU, "vector_add", "candidates", "honest.py"),
                                "--quick"])
            self.assertEqual(rc, 2, err)
            line = self.line_of(text, '"tolerance"')
            self.assertRegex(err.strip(), r"definition\.json:%d:\d+: error: unknown key "
                             r"'tolerence'; did you mean 'tolerance'\?$" % line)
            self.assertEqual(err.strip().count("\n"), 0, err)

    def test_expression_error_names_definition_line_and_column(self):
        with tempfile.TemporaryDirectory() as tmp:
            task, text = self.task_with(
                tmp, lambda t: t.replace('"flops": "%s"' % json.loads(t)["flops"], '"flops": "5*N*(C"'))
            rc, out, err = run(["eval", "--task", task, "--candidate",
                                os.path.join(CPU, "vector_add", "candidates", "honest.py"),
                                "--quick"])
            self.assertEqual(rc, 2, err)
            line = self.line_of(text, '"flops"')
            self.assertRegex(err.strip(), r"definition\.json:%d:\d+: error: .*flops" % line)

    def test_none_or_ndarray_is_output_schema_not_a_hack(self):
        for name in ("returns_none.py", "returns_ndarray.py"):
            rc, out, err = self.eval(os.path.join(CPU, "bad", name))
            self.assertEqual(rc, 1, err)
            self.assertEqual(json.loads(out)["failure"]["check"], "output-schema", name)

    def test_oom_is_its_own_check_and_candidate_output_stays_out_of_the_verdict(self):
        if not sandbox_available():
            self.skipTest("no sandbox here: no memory limit")
        rc, out, err = self.eval(os.path.join(CPU, "bad", "oom.py"), "--memory", "1G")
        self.assertEqual(rc, 1, err)
        f = json.loads(out)["failure"]
        self.assertEqual(f["check"], "oom", f)
        self.assertNotIn("verdict: PASS", f["reason"])
        rc, out, _ = run(["eval", "--task", os.path.join(CPU, "vector_add"), "--candidate",
                          os.path.join(CPU, "bad", "oom.py"), "--quick", "--memory", "1G"])
        verdict = [l for l in out.splitlines() if l.startswith("verdict:")]
        self.assertEqual(len(verdict), 1)
        self.assertNotIn("PASS", verdict[0])

    def test_progress_on_a_terminal(self):
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(REFEREE, [REFEREE, "eval", "--task", os.path.join(CPU, "vector_add"),
                               "--candidate",
                               os.path.join(CPU, "vector_add", "candidates", "honest.py"),
                               "--quick", "-o", os.devnull])
        seen = b""
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        os.waitpid(pid, 0)
        text = seen.decode(errors="replace")
        self.assertIn("[1/2]", text)
        self.assertIn("measuring", text)
        self.assertIn("[2/2]", text)

    def test_compare_says_a_sentence(self):
        honest = os.path.join(CPU, "vector_add", "candidates", "honest.py")
        rc, out, err = run(["compare", "--task", os.path.join(CPU, "vector_add"), honest, honest,
                            "--quick"])
        self.assertEqual(rc, 0, err)
        self.assertNotIn("relative to than", out)
        self.assertRegex(out, r"verdict: (B is (faster|slower) than A|B is the same speed as A|"
                              r"undecided: the pairs do not separate B from A)")

    def test_eval_help_names_every_candidate_kind(self):
        rc, out, _ = run(["eval", "--help"])
        self.assertEqual(rc, 0)
        for kind in (".py", ".so", ".cu", ".cc/.cpp", "solution.json", "KernelBench"):
            self.assertIn(kind, out)

    def test_calibrate_never_reports_cache_below_dram(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "cpu.json")
            rc, _, err = run(["calibrate", "--seconds", "0.6", "-o", path])
            self.assertEqual(rc, 0, err)
            with open(path) as f:
                p = json.load(f)
            self.assertGreaterEqual(p["cache_bytes_per_s"], p["dram_bytes_per_s"])


class SandboxRows(unittest.TestCase):
    def test_missing_program_exits_127_naming_it(self):
        rc, _, err = run(["sandbox", "run", "--profile", "python", "--", "/nonexistent-prog"])
        self.assertEqual(rc, 127)
        self.assertIn("/nonexistent-prog", err)

    def test_sandbox_report_formats(self):
        if not sandbox_available():
            self.skipTest("no sandbox here")
        rc, out, _ = run(["sandbox", "run", "--profile", "python", "--format", "json", "--",
                          "/bin/echo", "hi"])
        self.assertEqual(rc, 0)
        self.assertEqual(json.loads(out)["kind"], "sandbox-run")
        rc, out, _ = run(["sandbox", "run", "--profile", "python", "--format", "sarif", "--",
                          "/usr/bin/python3", "-c", "import socket; socket.socket()"])
        self.assertEqual(rc, 1)
        self.assertEqual(json.loads(out)["runs"][0]["results"][0]["ruleId"], "sandbox-socket")


class EverywhereRows(unittest.TestCase):
    def test_version(self):
        for args in (["-V"], ["--version"], ["version"]):
            rc, out, _ = run(args)
            self.assertEqual(rc, 0)
            self.assertRegex(out, r"^referee \d+\.\d+\.\d+ \(report schema 2\)\n$")

    def test_bash_completion_completes_commands_and_flags(self):
        rc, script, _ = run(["completion", "bash"])
        self.assertEqual(rc, 0)
        bindir = tempfile.mkdtemp()
        try:
            os.symlink(os.path.abspath(REFEREE), os.path.join(bindir, "referee"))
            probe = script + (
                '\nCOMP_WORDS=(referee ev); COMP_CWORD=1; _referee; echo "${COMPREPLY[@]}"'
                '\nCOMP_WORDS=(referee eval --ta); COMP_CWORD=2; _referee; echo "${COMPREPLY[@]}"\n')
            p = subprocess.run(["bash", "-c", probe], capture_output=True, text=True,
                               env=dict(os.environ, PATH=bindir + ":" + os.environ["PATH"]))
            lines = p.stdout.splitlines()
            self.assertEqual(lines[0], "eval", p.stderr)
            self.assertIn("--task", lines[1].split())
        finally:
            shutil.rmtree(bindir)
        rc, script, _ = run(["completion", "zsh"])
        self.assertEqual(rc, 0)
        self.assertIn("bashcompinit", script)

    def test_every_reporting_subcommand_takes_format(self):
        for cmd in (["audit"], ["eval"], ["compare"], ["sandbox"], ["rules"]):
            rc, out, _ = run(cmd + ["--help"])
            self.assertEqual(rc, 0, cmd)
            self.assertIn("--format", out, cmd)
            self.assertIn("--json", out, cmd)


if __name__ == "__main__":
    REFEREE, SRC = sys.argv[1], sys.argv[2]
    CPU = os.path.join(SRC, "kernels", "cpu")
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
