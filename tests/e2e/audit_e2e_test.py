#!/usr/bin/env python3
"""End-to-end tests of `referee audit` and `referee rules` (issue #3), in the style of ninja's
output_test.py: run the built binary, compare stdout, stderr and exit codes.

usage: audit_e2e_test.py PATH/TO/referee SOURCE_DIR [unittest args]

Tests that need the Clang or Python analyzer check that this build has them (by auditing a probe
file) and skip with a message otherwise.
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

GOOD_RULE = """id: timing-good-rule
title: A rule used by the end-to-end tests
category: timing
severity: warning
languages: [cuda, cpp]
message: found a thing
rationale: Things are bad.
references: [https://example.org/ref]
check: some-check
"""


def run(args, cwd=None):
    proc = subprocess.run([REFEREE] + args, cwd=cwd, capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, mode) as f:
        f.write(text)
    return path


class TempDirTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="referee-e2e-")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def audit(self, args):
        return run(["audit"] + args, cwd=self.dir)


class UsageTest(TempDirTest):
    def test_unknown_option_is_a_one_line_usage_error(self):
        rc, out, err = self.audit(["--bogus", "x.cu"])
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertEqual(err, "referee: error: unknown option '--bogus'; see 'referee audit --help'\n")

    def test_bad_option_values(self):
        rc, _, err = self.audit(["--format", "xml", "x.cu"])
        self.assertEqual(rc, 2)
        self.assertEqual(err, "referee: error: invalid --format 'xml' (expected text, json or "
                              "sarif); see 'referee audit --help'\n")
        rc, _, err = self.audit(["--fail-on=loud", "x.cu"])
        self.assertEqual(rc, 2)
        self.assertIn("invalid --fail-on 'loud'", err)
        rc, _, err = self.audit(["-j", "0", "x.cu"])
        self.assertEqual(rc, 2)
        self.assertIn("invalid -j '0'", err)
        rc, _, err = self.audit(["--format"])
        self.assertEqual(rc, 2)
        self.assertIn("option '--format' needs a value", err)

    def test_no_path_and_help(self):
        rc, _, err = self.audit([])
        self.assertEqual(rc, 2)
        self.assertIn("audit needs at least one PATH", err)
        rc, out, _ = self.audit(["--help"])
        self.assertEqual(rc, 0)
        self.assertTrue(out.startswith("usage: referee audit"))

    def test_rules_subcommand_errors(self):
        rc, _, err = run(["rules", "frobnicate"])
        self.assertEqual(rc, 2)
        self.assertIn("unknown rules subcommand 'frobnicate'", err)
        rc, _, err = run(["rules", "explain"])
        self.assertEqual(rc, 2)


class BadInputTest(TempDirTest):
    def test_missing_file(self):
        rc, out, err = self.audit(["nope.cu", "--format", "json"])
        self.assertEqual(rc, 2)
        self.assertIn("nope.cu: error: no such file or directory\n", err)
        report = json.loads(out)
        self.assertEqual(report["files"], [{"path": "nope.cu", "language": "cuda", "status": "error",
                                            "error": "nope.cu: error: no such file or directory",
                                            "notes": []}])

    def test_empty_directory(self):
        os.makedirs(os.path.join(self.dir, "empty", ".git"))
        write(os.path.join(self.dir, "empty", "README.txt"), "no sources\n")
        rc, out, err = self.audit(["empty/", "--format", "json"])
        self.assertEqual(rc, 2)
        line = "empty: error: no C, C++, CUDA or Python sources found in directory"
        self.assertIn(line + "\n", err)
        self.assertIn(line, json.loads(out)["errors"])

    def test_binary_file(self):
        write(os.path.join(self.dir, "blob.cu"), b"\x7fELF\x00\x00\x01", "wb")
        rc, out, err = self.audit(["blob.cu"])
        self.assertEqual(rc, 2)
        self.assertEqual(out, "")
        self.assertIn("blob.cu: error: binary file, not source\n", err)

    def test_unknown_extension(self):
        write(os.path.join(self.dir, "notes.txt"), "hello\n")
        rc, _, err = self.audit(["notes.txt"])
        self.assertEqual(rc, 2)
        self.assertIn("notes.txt: error: unknown source language", err)

    def test_malformed_rule_is_located_and_other_results_are_kept(self):
        rules = os.path.join(self.dir, "myrules")
        bad = write(os.path.join(rules, "cpp", "timing", "timing-bad-rule.yaml"),
                    GOOD_RULE.replace("timing-good-rule", "timing-bad-rule")
                             .replace("severity: warning", "severity: loud"))
        write(os.path.join(rules, "cpp", "timing", "timing-good-rule.yaml"), GOOD_RULE)
        write(os.path.join(self.dir, "blob.cu"), b"\x00\x01", "wb")
        rc, _, err = self.audit(["--rules", "myrules", "--format", "json", "--output", "out.json",
                                 "blob.cu"])
        self.assertEqual(rc, 2)
        located = "myrules/cpp/timing/timing-bad-rule.yaml:4:11: error: invalid severity 'loud' " \
                  "(expected note, warning or error)"
        self.assertIn(located + "\n", err)
        with open(os.path.join(self.dir, "out.json")) as f:
            report = json.load(f)  # partial results are still written
        self.assertIn(located, report["errors"])
        self.assertEqual(report["files"][0]["error"], "blob.cu: error: binary file, not source")
        # The good rule beside it still loads.
        rc, out, err = run(["rules", "list", "--rules", "myrules"], cwd=self.dir)
        self.assertEqual(rc, 2)
        self.assertRegex(out, r"(?m)^timing-good-rule +timing +warning +cuda,cpp +A rule used")
        self.assertIn(located, err)
        del bad

    def test_rules_explain(self):
        write(os.path.join(self.dir, "r", "cpp", "timing", "timing-good-rule.yaml"), GOOD_RULE)
        rc, out, _ = run(["rules", "explain", "timing-good-rule", "--rules", "r"], cwd=self.dir)
        self.assertEqual(rc, 0)
        for text in ["timing-good-rule: A rule used by the end-to-end tests", "category:  timing",
                     "severity:  warning", "languages: cuda,cpp", "  found a thing",
                     "  Things are bad.", "  - https://example.org/ref",
                     "pattern (check, r/cpp/timing/timing-good-rule.yaml:9:8):", "  some-check"]:
            self.assertIn(text + "\n", out)
        rc, _, err = run(["rules", "explain", "timing-good-rul", "--rules", "r"], cwd=self.dir)
        self.assertEqual(rc, 2)
        self.assertIn("unknown rule 'timing-good-rul'; did you mean 'timing-good-rule'?", err)

    def test_rules_lint_reports_a_missing_test_source(self):
        write(os.path.join(self.dir, "r", "cpp", "timing", "timing-good-rule.yaml"), GOOD_RULE)
        rc, _, err = run(["rules", "lint", "r"], cwd=self.dir)
        self.assertIn("r/cpp/timing/timing-good-rule.yaml:1:1: error: no test source beside the "
                      "rule", err)
        self.assertIn(rc, (1, 2))  # 2 when this build's analyzers also reject 'some-check'

    def test_sarif_on_bad_input_records_the_failed_invocation(self):
        rc, out, _ = self.audit(["nope.cu", "--format", "sarif"])
        self.assertEqual(rc, 2)
        sarif = json.loads(out)
        self.assertEqual(sarif["version"], "2.1.0")
        inv = sarif["runs"][0]["invocations"][0]
        self.assertFalse(inv["executionSuccessful"])
        note = inv["toolExecutionNotifications"][0]
        self.assertEqual(note["level"], "error")
        self.assertEqual(note["message"]["text"], "nope.cu: error: no such file or directory")


def probe(language_file, text):
    """True when this build has an analyzer for the probe file's language."""
    d = tempfile.mkdtemp(prefix="referee-probe-")
    try:
        write(os.path.join(d, language_file), text)
        rc, out, _ = run(["audit", "--format", "json", language_file], cwd=d)
        files = json.loads(out)["files"]
        return files[0]["status"] != "skipped"
    finally:
        shutil.rmtree(d)


FINDING_LINE = re.compile(r"^(\S+):(\d+):(\d+): (note|warning|error): (.+) \[([a-z0-9-]+)\]$")
HONEST = ("honest_vector_add.cu", "honest_model.py")
HACKING_CUDA = ("cached_side_stream.cu", "timing_getenv.cpp")
HACKING_PYTHON = ("model_new_cached.py",)


class ExamplesTest(unittest.TestCase):
    """The README's first command: `referee audit examples/`."""

    @classmethod
    def setUpClass(cls):
        cls.have_cuda = probe("probe.cu", "__global__ void k(float* x) { x[0] = 1.0f; }\n")
        cls.have_python = probe("probe.py", "x = 1\n")

    def need_analyzers(self):
        if not (self.have_cuda or self.have_python):
            self.skipTest("this build has neither the Clang nor the Python analyzer")

    def audit_examples(self, args):
        return run(["audit", "examples/"] + args, cwd=SOURCE_DIR)

    def test_text_report_is_compiler_style_with_caret(self):
        self.need_analyzers()
        rc, out, err = self.audit_examples(["-j", "2"])
        self.assertEqual(rc, 1, err)
        lines = out.splitlines()
        self.assertTrue(lines)
        i = 0
        flagged = set()
        while i < len(lines):
            m = FINDING_LINE.match(lines[i])
            self.assertIsNotNone(m, lines[i])
            path, line, col = m.group(1), int(m.group(2)), int(m.group(3))
            flagged.add(os.path.basename(path))
            with open(os.path.join(SOURCE_DIR, path), encoding="utf-8") as f:
                source_line = f.read().split("\n")[line - 1]
            self.assertEqual(lines[i + 1], source_line)
            caret = lines[i + 2]
            self.assertEqual(caret.index("^"), len(source_line.encode()[:col - 1].decode()))
            i += 3
        for name in HONEST:
            self.assertNotIn(name, flagged, "an honest example was flagged")
        if self.have_cuda:
            for name in HACKING_CUDA:
                self.assertIn(name, flagged)
        if self.have_python:
            for name in HACKING_PYTHON:
                self.assertIn(name, flagged)
        self.assertRegex(err, r"referee: \d+ findings? \(")

    def test_json_report_does_not_depend_on_jobs(self):
        self.need_analyzers()
        reports = []
        for jobs in ("1", "4"):
            rc, out, err = self.audit_examples(["--format", "json", "-j", jobs, "-q"])
            self.assertEqual(rc, 1, err)
            report = json.loads(out)
            del report["argv"]
            reports.append(report)
        self.assertEqual(reports[0], reports[1])
        report = reports[0]
        self.assertEqual(report["schema_version"], 2)
        self.assertEqual(report["kind"], "audit")
        self.assertEqual(report["tool"]["name"], "referee")
        for f in report["findings"]:
            self.assertEqual(set(f), {"rule_id", "category", "severity", "path", "line", "column",
                                      "end_line", "end_column", "message", "snippet"})
            self.assertTrue(f["path"].startswith("examples/"))
        for f in report["files"]:
            self.assertIn(f["status"], ("ok", "partial", "skipped"))

    def test_sarif_regions_point_at_the_reported_tokens(self):
        self.need_analyzers()
        rc, out, _ = self.audit_examples(["--format", "sarif", "-q"])
        self.assertEqual(rc, 1)
        sarif = json.loads(out)
        self.assertEqual(sarif["version"], "2.1.0")
        self.assertIn("$schema", sarif)
        run0 = sarif["runs"][0]
        driver = run0["tool"]["driver"]
        for key in ("name", "version", "informationUri", "rules"):
            self.assertIn(key, driver)
        for rule in driver["rules"]:
            for key in ("id", "shortDescription", "fullDescription", "help",
                        "defaultConfiguration", "properties"):
                self.assertIn(key, rule)
            self.assertEqual(len(rule["properties"]["tags"]), 1)
        rc, out, _ = self.audit_examples(["--format", "json", "-q"])
        findings = json.loads(out)["findings"]
        self.assertEqual(len(run0["results"]), len(findings))
        for result, finding in zip(run0["results"], findings):
            self.assertEqual(driver["rules"][result["ruleIndex"]]["id"], result["ruleId"])
            self.assertEqual(result["ruleId"], finding["rule_id"])
            self.assertIn(result["level"], ("note", "warning", "error"))
            self.assertTrue(result["message"]["text"])
            self.assertIn("primaryLocationLineHash", result["partialFingerprints"])
            loc = result["locations"][0]["physicalLocation"]
            self.assertEqual(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%")
            uri = loc["artifactLocation"]["uri"]
            self.assertTrue(uri.endswith(finding["path"]), uri)
            self.assertNotIn("\\", uri)
            region = loc["region"]
            self.assertEqual(region["startLine"], finding["line"])
            with open(os.path.join(SOURCE_DIR, finding["path"]), encoding="utf-8") as f:
                text = f.read().split("\n")[finding["line"] - 1]
            # The examples are ASCII, so UTF-16 columns equal byte columns.
            self.assertEqual(region["startColumn"], finding["column"])
            self.assertTrue(text[region["startColumn"] - 1:].strip(), "region points past the line")

    def test_sarif_validates_against_the_official_schema(self):
        """Runs when REFEREE_SARIF_SCHEMA names a copy of sarif-schema-2.1.0.json (not shipped:
        third-party) and python3-jsonschema is installed."""
        self.need_analyzers()
        schema_path = os.environ.get("REFEREE_SARIF_SCHEMA", "")
        try:
            import jsonschema
        except ImportError:
            self.skipTest("python3-jsonschema is not installed")
        if not os.path.isfile(schema_path):
            self.skipTest("set REFEREE_SARIF_SCHEMA to sarif-schema-2.1.0.json to validate")
        with open(schema_path) as f:
            schema = json.load(f)
        rc, out, _ = self.audit_examples(["--format", "sarif", "-q"])
        errors = [f"{list(e.path)}: {e.message}"
                  for e in jsonschema.Draft7Validator(schema).iter_errors(json.loads(out))]
        self.assertEqual(errors, [])

    def test_fail_on_levels(self):
        self.need_analyzers()
        rc, out, _ = self.audit_examples(["--format", "json", "-q"])
        levels = {f["severity"] for f in json.loads(out)["findings"]}
        rc, _, _ = self.audit_examples(["--fail-on", "note", "-q"])
        self.assertEqual(rc, 1)
        if "error" not in levels:
            rc, _, _ = self.audit_examples(["--fail-on", "error", "-q"])
            self.assertEqual(rc, 0)

    def test_honest_examples_are_clean(self):
        self.need_analyzers()
        files = [os.path.join("examples", n) for n in HONEST]
        rc, out, err = run(["audit"] + files, cwd=SOURCE_DIR)
        self.assertEqual(out, "")
        self.assertEqual(rc, 0, err)

    def test_unparsable_source_is_an_error_and_other_findings_are_kept(self):
        if not self.have_cuda:
            self.skipTest("this build has no Clang analyzer")
        d = tempfile.mkdtemp(prefix="referee-e2e-")
        try:
            for name in HACKING_CUDA:
                shutil.copy(os.path.join(SOURCE_DIR, "examples", name), d)
            write(os.path.join(d, "broken.cu"), "__global__ void k(float* x {\n  x[0] = ;\n")
            rc, out, err = run(["audit", "--format", "json", "."], cwd=d)
            report = json.loads(out)
            broken = [f for f in report["files"] if f["path"] == "broken.cu"][0]
            self.assertIn(broken["status"], ("error", "partial"))
            if broken["status"] == "error":
                self.assertEqual(rc, 2)
                self.assertRegex(broken["error"], r"^broken\.cu:\d+:\d+: error: ")
            self.assertTrue([f for f in report["findings"] if f["path"] != "broken.cu"])
        finally:
            shutil.rmtree(d)

    def test_in_tree_config_is_named_and_a_trusted_config_overrides_it(self):
        # A submission's own referee.yaml could exempt its files from the audit.
        if not self.have_python:
            self.skipTest("this build has no Python analyzer")
        d = tempfile.mkdtemp(prefix="referee-e2e-")
        try:
            shutil.copy(os.path.join(SOURCE_DIR, "examples", "model_new_cached.py"),
                        os.path.join(d, "train.py"))
            write(os.path.join(d, "referee.yaml"), "layout: generic\nfixed_files: [train.py]\n")
            write(os.path.join(d, "trusted.yaml"), "layout: generic\n")
            rc, out, err = run(["audit", "train.py"], cwd=d)
            self.assertEqual(rc, 0)
            self.assertIn("referee.yaml: using the audited tree's own audit config", err)
            rc, out, err = run(["audit", "--config", "trusted.yaml", "train.py"], cwd=d)
            self.assertEqual(rc, 1)
            self.assertIn("[output-caching-input-keyed-cache]", out)
            write(os.path.join(d, "bad.yaml"), "layout: [\n")
            rc, out, err = run(["audit", "--config", "bad.yaml", "train.py"], cwd=d)
            self.assertEqual(rc, 2)
            self.assertRegex(err, r"bad\.yaml:\d+:\d+: error: ")
        finally:
            shutil.rmtree(d)


GETENV_RULE = """id: environment-e2e-getenv
title: getenv in the candidate
category: environment
severity: warning
languages: [cpp, cuda]
message: reads the environment
rationale: The candidate may detect the harness.
matcher: callExpr(callee(functionDecl(hasName("getenv")))).bind("call")
bind: call
"""

GETENV_TEST = """#include <cstdlib>
const char* a() {
  // ruleid: environment-e2e-getenv
  return std::getenv("A");
}
const char* b() {
  // ok: environment-e2e-getenv
  return std::getenv("B");
}
// ruleid: environment-e2e-getenv
int c = 1;
"""


class RulesTestCommandTest(TempDirTest):
    def test_reports_missed_and_unexpected_lines(self):
        if not probe("probe.cpp", "int x;\n"):
            self.skipTest("this build has no Clang analyzer")
        base = os.path.join(self.dir, "r", "cpp", "environment")
        write(os.path.join(base, "environment-e2e-getenv.yaml"), GETENV_RULE)
        test = write(os.path.join(base, "environment-e2e-getenv.cpp"), GETENV_TEST)
        rc, out, err = run(["rules", "test", "r"], cwd=self.dir)
        self.assertEqual(rc, 1, err)
        path = "r/cpp/environment/environment-e2e-getenv.cpp"
        self.assertEqual(out, "FAIL environment-e2e-getenv\n"
                              f"  {path}:11: missed: 'ruleid: environment-e2e-getenv' line not "
                              "flagged\n"
                              f"  {path}:8: unexpected: flagged by environment-e2e-getenv without "
                              "a 'ruleid' annotation\n"
                              "1 rules: 0 passed, 1 failed, 0 skipped\n")
        # Fixed annotations pass.
        write(test, GETENV_TEST.replace("// ok:", "// ruleid:").replace(
            "// ruleid: environment-e2e-getenv\nint c", "// ok: environment-e2e-getenv\nint c"))
        rc, out, err = run(["rules", "test", "r"], cwd=self.dir)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(out, "PASS environment-e2e-getenv\n1 rules: 1 passed, 0 failed, "
                              "0 skipped\n")


class RuleSuiteTest(unittest.TestCase):
    def test_bundled_rules_load_cleanly(self):
        rc, out, err = run(["rules", "list"])
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith("ID "))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    REFEREE = os.path.abspath(sys.argv[1])
    SOURCE_DIR = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
