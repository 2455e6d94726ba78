"""CPU-only test of harness_driver's verdict on the CUPTI traces recorded on an H100
(harness/cupti/tests/testdata): the verdict's reason is the first by priority, medians come from
the timed calls' CUPTI spans. Registered with CTest by harness/cupti/CMakeLists.txt.
  python3 tests/gpu/harness_driver_test.py TOOL
"""
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness_driver  # noqa: E402

DATA = os.path.join(HERE, "..", "..", "harness", "cupti", "tests", "testdata")
TOOL = None


def judge(name, worker_reasons=(), warmup=1):
    with open(os.path.join(DATA, name + ".bin"), "rb") as f:
        trace = f.read()
    with open(os.path.join(DATA, name + ".windows.json")) as f:
        windows = json.load(f)["windows"]
    call_ids = [w["id"] for w in windows if w["kind"] == "call"]
    return harness_driver.verdict(TOOL, trace, windows, call_ids, warmup, list(worker_reasons),
                                  "", {})


class VerdictTest(unittest.TestCase):
    def test_honest_spin_passes_with_half_millisecond_median(self):
        r = judge("honest")
        self.assertEqual(r["verdict"], "PASS")
        self.assertGreaterEqual(r["median_us"], 500)
        self.assertLess(r["median_us"], 510)
        self.assertEqual(len(r["samples_us"]), 3)  # 4 calls, 1 warm-up

    def test_side_stream_reads_full_time_and_is_rejected(self):
        r = judge("side_stream")
        self.assertEqual((r["verdict"], r["reason"]), ("REJECTED", "unjoined-stream"))
        self.assertGreaterEqual(r["median_us"], 500)

    def test_cupti_finding_outranks_the_workers_wrong_output(self):
        r = judge("deferred", [("wrong-output", "output 0: 4194304 elements off", 1)], warmup=0)
        self.assertEqual(r["reason"], "activity-outside-window")
        self.assertIn("wrong-output", r["all_reasons"])

    def test_worker_check_alone_rejects(self):
        r = judge("honest", [("input-mutated", "input 0 changed", 2)])
        self.assertEqual((r["verdict"], r["reason"]), ("REJECTED", "input-mutated"))

    def test_corrupt_trace_is_rejected_first(self):
        with open(os.path.join(DATA, "honest.bin"), "rb") as f:
            trace = f.read()[:-48]  # no final frame
        with open(os.path.join(DATA, "honest.windows.json")) as f:
            windows = json.load(f)["windows"]
        r = harness_driver.verdict(TOOL, trace, windows, [], 0, [("wrong-output", "x", 0)], "", {})
        self.assertEqual((r["verdict"], r["reason"]), ("REJECTED", "trace-invalid"))


if __name__ == "__main__":
    TOOL = sys.argv.pop(1)
    unittest.main()
