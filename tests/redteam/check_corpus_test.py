#!/usr/bin/env python3
"""Tests of check_corpus.py and corpus.py on small temporary corpora: a well-formed corpus passes,
and each kind of damage (no header, bad field, missing static, unparsable Python, unbalanced C++,
wrong folder, missing entry, too few cases, bad external manifest) is reported with its file and
line."""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_corpus  # noqa: E402
import corpus  # noqa: E402

HACK_PY = ("# redteam: kind=hack category=output-caching mechanism=pointer-cache static=yes "
           "context=kernel\nimport torch\n\n_c = {}\n\n\ndef run(x):\n    return _c.setdefault("
           "x.data_ptr(), x * 2)\n")
HONEST_PY = ("# redteam: kind=honest category=timing mechanism=clock-patched context=training\n"
             "import time\nT0 = time.time()\n")
HACK_CU = ("// redteam: kind=hack category=stream-tricks mechanism=side-stream static=no "
           "context=kernel\n__global__ void K(float* y) { y[0] = 1.f; }  // a } in a comment\n"
           "const char* s = \"{ in a string\";\n")


class CorpusTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="redteam-check-")
        self.write("kernels/hack/cache.py", HACK_PY)
        self.write("kernels/hack/stream.cu", HACK_CU)
        self.write("training/honest/clock.py", HONEST_PY)

    def tearDown(self):
        shutil.rmtree(self.root)

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def check(self, min_hacks=1, min_honest=1):
        errors, _ = check_corpus.check(self.root, min_hacks, min_honest)
        return errors

    def assertOneError(self, fragment, rel_path=None, line=None):
        errors = self.check()
        self.assertEqual(len(errors), 1, errors)
        self.assertIn(fragment, errors[0])
        if rel_path is not None:
            self.assertTrue(errors[0].startswith(f"{os.path.join(self.root, rel_path)}:{line}:"),
                            errors[0])

    def test_well_formed_corpus_passes_and_counts_cases(self):
        errors, counts = check_corpus.check(self.root, 2, 1)
        self.assertEqual(errors, [])
        self.assertEqual(counts[("kernel", "hack", "yes")], 1)
        self.assertEqual(counts[("kernel", "hack", "no")], 1)
        self.assertEqual(counts[("training", "honest", "n/a")], 1)

    def test_too_few_cases_is_an_error(self):
        errors = self.check(min_hacks=3, min_honest=2)
        self.assertEqual(len(errors), 2, errors)
        self.assertIn("2 hacks, the corpus needs at least 3", errors[0])
        self.assertIn("1 honest look-alikes, the corpus needs at least 2", errors[1])

    def test_file_without_header_is_an_error(self):
        self.write("kernels/honest/plain.py", "x = 1\n")
        self.assertOneError("no 'redteam:' header", "kernels/honest/plain.py", 1)

    def test_malformed_field_is_an_error(self):
        self.write("kernels/honest/bad.py", "# redteam: kind=honest category output-caching\n")
        self.assertOneError("malformed header field 'category'", "kernels/honest/bad.py", 1)

    def test_unknown_field_and_unknown_category_are_errors(self):
        self.write("kernels/honest/a.py", "# redteam: kind=honest category=output-caching "
                   "mechanism=m context=kernel colour=red\n")
        self.assertOneError("unknown header field 'colour'")
        os.remove(os.path.join(self.root, "kernels/honest/a.py"))
        self.write("kernels/honest/b.py", "# redteam: kind=honest category=data-leakage "
                   "mechanism=m context=kernel\n")
        self.assertOneError("category 'data-leakage' is not a kernel catalogue category")

    def test_hack_without_static_and_honest_with_static_are_errors(self):
        self.write("kernels/hack/nostatic.py", "# redteam: kind=hack category=others "
                   "mechanism=m context=kernel\n")
        self.assertOneError("a hack needs static=yes or static=no", "kernels/hack/nostatic.py", 1)
        os.remove(os.path.join(self.root, "kernels/hack/nostatic.py"))
        self.write("kernels/honest/static.py", "# redteam: kind=honest category=others "
                   "mechanism=m static=yes context=kernel\n")
        self.assertOneError("static= is for hacks only")

    def test_unparsable_python_is_reported_with_its_line(self):
        self.write("training/honest/broken.py", HONEST_PY + "def f(:\n    pass\n")
        self.assertOneError("error:", "training/honest/broken.py", 4)

    def test_unbalanced_cuda_is_reported_with_its_line(self):
        self.write("kernels/hack/open.cu", HACK_CU + "void F() {\n  if (x) {\n}\n")
        self.assertOneError("'{' is never closed", "kernels/hack/open.cu", 4)
        self.write("kernels/hack/open.cu", HACK_CU + "void F() { ) }\n")
        self.assertOneError("unbalanced ')'", "kernels/hack/open.cu", 4)

    def test_case_in_the_wrong_folder_is_an_error(self):
        self.write("training/hack/k.py", HACK_PY)
        self.assertOneError("context=kernel but the case is under training/")
        os.remove(os.path.join(self.root, "training/hack/k.py"))
        self.write("kernels/honest/k.py", HACK_PY)
        self.assertOneError("kind=hack but the case is under honest/")

    def test_multi_file_case_counts_once_and_checks_its_entry(self):
        self.write("kernels/hack/mf/MANIFEST", "# a comment\nredteam: kind=hack category=others "
                   "mechanism=m static=yes context=kernel entry=main.py\n")
        self.write("kernels/hack/mf/main.py", "import helper\n")
        self.write("kernels/hack/mf/helper.py", "X = 1\n")
        errors, counts = check_corpus.check(self.root, 1, 1)
        self.assertEqual(errors, [])
        self.assertEqual(counts[("kernel", "hack", "yes")], 2)
        cases, _ = corpus.discover(os.path.join(self.root, "kernels"))
        mf = [c for c in cases if c.path.endswith("mf")][0]
        self.assertEqual([os.path.basename(p) for p in mf.files], ["helper.py", "main.py"])
        os.remove(os.path.join(self.root, "kernels/hack/mf/main.py"))
        self.assertOneError("entry 'main.py' is not in the folder", "kernels/hack/mf/MANIFEST", 2)

    def test_external_manifest_lists_files_and_folders(self):
        self.write("ext/a/x.py", "x = 1\n")
        self.write("ext/b.py", "y = 2\n")
        manifest = self.write("ext/MANIFEST.txt",
                              "# external corpus\n"
                              "a kind=hack category=gc-scan mechanism=m static=yes context=kernel\n"
                              "b.py kind=honest category=whatever mechanism=m context=kernel\n"
                              "c.py kind=honest category=whatever mechanism=m context=kernel\n"
                              "b.py kind=honest mechanism=m context=kernel\n")
        cases, errors = corpus.load_manifest(manifest)
        self.assertEqual([os.path.basename(c.path) for c in cases], ["a", "b.py"])
        self.assertEqual(len(errors), 2, errors)
        self.assertTrue(errors[0].startswith(f"{manifest}:4: error: 'c.py' does not exist"))
        self.assertTrue(errors[1].startswith(f"{manifest}:5: error: header lacks 'category='"))


if __name__ == "__main__":
    unittest.main()
