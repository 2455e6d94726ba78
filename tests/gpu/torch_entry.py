"""Issue #7 item 3 on the GPU: candidates with the LibTorch entry point (referee_run_torch),
evaluated by `referee eval --device cuda` beside the same task's raw-pointer CUDA candidate,
each median compared with the CUPTI kernel-time sum of an independent run (as
harness_acceptance.py judges honest candidates: within 3 %). Driven by torch_entry.sh.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness_acceptance  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--tool", required=True)
    ap.add_argument("--so-dir", required=True)
    ap.add_argument("--referee", required=True)
    ap.add_argument("--sandbox", default="off")
    ap.add_argument("--tasks", nargs="*", default=["gelu", "reduction"])
    ap.add_argument("--out")
    a = ap.parse_args()
    a.calls, a.tolerance_pct, a.eval_timeout = 15, 3.0, 150
    rows = []
    for task in a.tasks:
        task_dir = os.path.join("kernels/gpu", task)
        with open(os.path.join(task_dir, "candidates.json")) as f:
            listed = {c["file"]: c for c in json.load(f)}
        for name in ("candidates/cuda_honest.cu", "candidates/torch_honest.cu"):
            t0 = time.time()
            rows.append(harness_acceptance.run_one(task, task_dir, listed[name], a))
            rows[-1]["wall_s"] = time.time() - t0
    harness_acceptance.print_table(rows)
    for r in rows:
        print(f"{r['task']} {os.path.basename(r['file'])}: referee eval {r['wall_s']:.1f} s "
              f"(nvcc build included), {r['result'].get('samples')} samples")
    if a.out:
        with open(a.out, "w") as f:
            json.dump(rows, f, indent=1)
    bad = [r for r in rows if not r["ok"]]
    print(f"{len(rows) - len(bad)}/{len(rows)} as expected")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
