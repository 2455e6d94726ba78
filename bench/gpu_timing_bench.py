"""GPU harness timing benchmark (issue #7): for a ~10 us and a ~1 ms kernel, in the same run,
  - triton.testing.do_bench (median, its own 256 MB L2 flush, events on the current stream);
  - the CUPTI harness (tests/gpu/harness_driver.evaluate: cold mode, 2x L2 flush, per-call
    device-synchronised windows, every stream counted), full evaluations end to end;
and prints medians, their ratio, the harness overhead per timed call and evaluations per minute.

  tests/gpu/harness_build.sh build-device && python3 bench/gpu_timing_bench.py --build build-device

The kernels are a Triton FMA loop over 1M floats (duration set by the iteration count,
independent of cache state, so cold and hot timings agree).
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time

import torch
import triton
import triton.language as tl

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "gpu"))
import harness_driver  # noqa: E402

N = 1 << 20
KERNEL_SRC = '''
import triton
import triton.language as tl

ITERS = {iters}


@triton.jit
def _busy(x_ptr, y_ptr, n, iters, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    x = tl.load(x_ptr + offs, mask=offs < n)
    for _ in range(iters):
        x = x * 0.999 + 0.001
    tl.store(y_ptr + offs, x, mask=offs < n)


def run(x, y):
    _busy[(triton.cdiv(x.numel(), 1024),)](x, y, x.numel(), ITERS, BLOCK=1024)
'''
REFERENCE_SRC = '''
ITERS = {iters}


def run(x):
    a = 0.999 ** ITERS  # closed form of x <- 0.999 x + 0.001, ITERS times
    return x * a + (1 - a)
'''


def write_task(root, iters):
    d = os.path.join(root, f"busy_{iters}")
    os.makedirs(d, exist_ok=True)
    definition = {"name": f"bench_busy_{iters}", "axes": {"N": {"type": "const", "value": N}},
                  "inputs": {"x": {"shape": ["N"], "dtype": "float32"}},
                  "outputs": {"y": {"shape": ["N"], "dtype": "float32"}},
                  "tolerance": {"atol": 1e-3, "rtol": 1e-3}, "flops": f"2 * N * {iters}",
                  "reference": "reference.py"}
    with open(os.path.join(d, "definition.json"), "w") as f:
        json.dump(definition, f)
    with open(os.path.join(d, "reference.py"), "w") as f:
        f.write(REFERENCE_SRC.format(iters=iters))
    with open(os.path.join(d, "candidate.py"), "w") as f:
        f.write(KERNEL_SRC.format(iters=iters))
    return d


def load_run(task_dir):
    sys.path.insert(0, task_dir)
    import importlib.util
    spec = importlib.util.spec_from_file_location(f"c{os.path.basename(task_dir)}",
                                                  os.path.join(task_dir, "candidate.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m.run


def do_bench_us(task_dir):
    run = load_run(task_dir)
    x = torch.randn(N, device="cuda")
    y = torch.empty_like(x)
    return 1e3 * triton.testing.do_bench(lambda: run(x, y), warmup=25, rep=200,
                                         return_mode="median")


def calibrate(root, target_us):
    iters = 256
    for _ in range(3):
        t = do_bench_us(write_task(root, iters))
        iters = max(8, int(iters * target_us / t))
    return iters


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build-device")
    ap.add_argument("--evals", type=int, default=3, help="full harness evaluations per kernel")
    ap.add_argument("--calls", type=int, default=30)
    ap.add_argument("--out")
    a = ap.parse_args()
    lib = os.path.join(a.build, "libreferee_cupti_inject.so")
    tool = os.path.join(a.build, "referee_cupti_attribute")
    rows = []
    with tempfile.TemporaryDirectory() as root:
        for label, target in (("~10 us", 10.0), ("~1 ms", 1000.0)):
            iters = calibrate(root, target)
            task = write_task(root, iters)
            cand = {"path": os.path.join(task, "candidate.py"), "language": "python"}
            db = [do_bench_us(task) for _ in range(3)]
            evals = [harness_driver.evaluate(task, cand, lib, tool, calls=a.calls, warmup=3)
                     for _ in range(a.evals)]
            hot = harness_driver.evaluate(task, cand, lib, tool, calls=10, warmup=2, cold=False,
                                          repeat=20)
            if hot["verdict"] != "PASS":
                print(f"hot mode {label}: {hot['verdict']} {hot['reason']}: {hot['detail']} "
                      f"{hot.get('log', '')[-1500:]}", flush=True)
            db += [do_bench_us(task) for _ in range(3)]  # after, to see drift
            assert all(e["verdict"] == "PASS" for e in evals), [e["reason"] for e in evals]
            h = statistics.median(e["median_us"] for e in evals)
            d = statistics.median(db)
            over = [w - s for e in evals for w, s in zip(e["call_wall_us"], e["samples_us"])]
            # Parent wall per timed call: median prep + call + check request round trips.
            per_call_ms = statistics.median(
                sum(e["op_ms"][op] for op in ("prep", "call", "check")) for e in evals)
            eval_s = statistics.median(e["eval_s"] for e in evals)
            rows.append({"kernel": label, "iters": iters, "do_bench_median_us": d,
                         "do_bench_medians_us": db, "harness_median_us": h,
                         "harness_medians_us": [e["median_us"] for e in evals],
                         "ratio": h / d, "call_overhead_us": statistics.median(over),
                         "per_call_ms": per_call_ms, "eval_s": eval_s,
                         "evals_per_min": 60.0 / eval_s, "calls": a.calls,
                         "harness_hot_median_us": hot["median_us"], "hot_verdict": hot["verdict"],
                         "op_ms": evals[-1]["op_ms"]})
    print(f"device: {torch.cuda.get_device_name()}, torch {torch.__version__}, "
          f"triton {triton.__version__}")
    print("| kernel | do_bench median us | harness cold median us | ratio | harness hot x20 us "
          "| overhead/call us (wall - span) | ms per timed call (prep+call+check) "
          "| s per evaluation | evals/min |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['kernel']} | {r['do_bench_median_us']:.2f} | {r['harness_median_us']:.2f} | "
              f"{r['ratio']:.4f} | {r['harness_hot_median_us'] or float('nan'):.2f} | "
              f"{r['call_overhead_us']:.1f} | {r['per_call_ms']:.2f} | "
              f"{r['eval_s']:.2f} | {r['evals_per_min']:.1f} |")
    for r in rows:
        print(f"{r['kernel']}: parent wall per request (ms, median): " +
              ", ".join(f"{k} {v:.2f}" for k, v in r["op_ms"].items()))
    print("spread: " + "; ".join(
        f"{r['kernel']}: do_bench {min(r['do_bench_medians_us']):.2f}-"
        f"{max(r['do_bench_medians_us']):.2f}, harness {min(r['harness_medians_us']):.2f}-"
        f"{max(r['harness_medians_us']):.2f}" for r in rows))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
