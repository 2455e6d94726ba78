"""Records the CUPTI traces kept as test data for harness/cupti/tests/recorded_trace_test.cc.
Run on the GPU machine after harness_build.sh:
  python3 tests/gpu/harness_record_traces.py --build build-device --out DIR
Each scenario leaves DIR/<name>.bin (the raw trace stream) and DIR/<name>.windows.json (the
windows the parent opened, with its wall intervals), plus DIR/<name>.verdict.json.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness_driver  # noqa: E402

SCENARIOS = [  # name, task, candidate file, calls, warmup
    ("honest", "spin", "spin_honest.cu", 3, 1),
    ("side_stream", "spin", "spin_side_stream.cu", 3, 1),
    ("deferred", "gemm", "hack_deferred_thread.cu", 3, 0),
    ("no_work", "gemm", "hack_call_count.cu", 6, 0),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for name, task, fname, calls, warmup in SCENARIOS:
        so = os.path.join(a.build, "candidates", f"{task}_{fname[:-3]}.so")
        cand = {"path": f"kernels/gpu/{task}/candidates/{fname}", "language": "cuda", "so": so}
        r = harness_driver.evaluate(f"kernels/gpu/{task}", cand,
                                    os.path.join(a.build, "libreferee_cupti_inject.so"),
                                    os.path.join(a.build, "referee_cupti_attribute"),
                                    calls=calls, warmup=warmup,
                                    save_trace=os.path.join(a.out, name))
        with open(os.path.join(a.out, name + ".verdict.json"), "w") as f:
            json.dump(r, f, indent=1)
        print(name, r["verdict"], r["reason"], r["median_us"], r["records"], flush=True)


if __name__ == "__main__":
    main()
