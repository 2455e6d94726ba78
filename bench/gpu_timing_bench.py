"""GPU harness timing benchmark (issue #7): for a ~10 us and a ~1 ms kernel, in the same run,
  - triton.testing.do_bench (median, its own 256 MB L2 flush, events on the current stream);
  - `referee eval --device cuda --json` (cold mode: 2x L2 flush, per-call device-synchronised
    CUPTI windows, every stream counted; reference process, fresh sandboxed candidate worker,
    every check, reference timing), full evaluations end to end, and one in hot mode;
and prints medians, their ratio, the harness overhead per timed call and evaluations per minute.

  bench/gpu_timing_bench.sh            (on the GPU machine: builds the referee, then runs this)

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

import subprocess

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


def referee_eval(referee, task, sandbox, mode="cold", time_reference=True):
    """One full evaluation; returns (wall seconds, the JSON report)."""
    cmd = [referee, "eval", "--task", task, "--candidate", os.path.join(task, "candidate.py"),
           "--device", "cuda", "--mode", mode, "--sandbox", sandbox, "--json"]
    if not time_reference:
        cmd.append("--no-reference-timing")
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    wall = time.monotonic() - t0
    try:
        rep = json.loads(p.stdout)
    except ValueError:
        raise SystemExit(f"referee eval failed (rc {p.returncode}): {p.stderr[-2000:]}")
    if p.returncode != 0:
        raise SystemExit(f"referee eval: {json.dumps(rep.get('failure'))} {p.stderr[-1500:]}")
    return wall, rep


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--referee", required=True)
    ap.add_argument("--sandbox", default="auto")
    ap.add_argument("--evals", type=int, default=5, help="full evaluations per kernel")
    ap.add_argument("--out")
    ap.add_argument("--targets", type=float, nargs="+", default=[10.0, 1000.0],
                    help="kernel lengths to measure, in us, in this order")
    ap.add_argument("--no-reference-timing", action="store_true",
                    help="evaluations without the reference's timing (no SOL score)")
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as root:
        os.chmod(root, 0o755)  # 0700 by default: the sandbox user could not reach the task
        for target in a.targets:
            label = f"~{target:g} us" if target < 1000 else f"~{target / 1000:g} ms"
            iters = calibrate(root, target)
            task = write_task(root, iters)
            db = [do_bench_us(task) for _ in range(3)]
            timed_ref = not a.no_reference_timing
            evals = [referee_eval(a.referee, task, a.sandbox, time_reference=timed_ref)
                     for _ in range(a.evals)]
            hot_wall, hot = referee_eval(a.referee, task, a.sandbox, mode="hot",
                                         time_reference=timed_ref)
            db += [do_bench_us(task) for _ in range(3)]  # after, to see drift
            works = [rep["workloads"][0] for _, rep in evals]
            h = statistics.median(w["timing"]["candidate"]["median"] * 1e6 for w in works)
            d = statistics.median(db)
            eval_s = statistics.median(wall for wall, _ in evals)
            # Parent wall per timed call: the candidate phase over its calls (warm-up included).
            per_call_ms = statistics.median(1e3 * w["phase_s"]["candidate"] / max(1, w["calls"])
                                            for w in works)
            hw = hot["workloads"][0]
            clocks = [c for w in works for c in (w.get("sm_clock") or {}).get("mhz", []) if c]
            rows.append({"kernel": label, "iters": iters, "do_bench_median_us": d,
                         "do_bench_medians_us": db, "harness_median_us": h,
                         "harness_medians_us": [w["timing"]["candidate"]["median"] * 1e6
                                                for w in works],
                         "ratio": h / d, "per_call_ms": per_call_ms, "eval_s": eval_s,
                         "evals_per_min": 60.0 / eval_s,
                         "eval_walls_s": [wall for wall, _ in evals],
                         "phase_s": works[-1].get("phase_s"),
                         "harness_hot_median_us": hw["timing"]["candidate"]["median"] * 1e6,
                         "hot_repeat": hw.get("repeat"), "hot_eval_s": hot_wall,
                         "sm_clock_mhz": [min(clocks), max(clocks)] if clocks else None})
            r = rows[-1]  # as it comes: a run cut short still shows the kernels done
            print(f"{label}: do_bench {d:.2f} us, referee {h:.2f} us (ratio {r['ratio']:.4f}), "
                  f"{r['eval_s']:.2f} s per evaluation ({r['evals_per_min']:.1f}/min), "
                  f"{per_call_ms:.2f} ms per timed call, phases {r['phase_s']}", flush=True)
    print(f"device: {torch.cuda.get_device_name()}, torch {torch.__version__}, "
          f"triton {triton.__version__}, referee eval --sandbox {a.sandbox}"
          f"{' --no-reference-timing' if a.no_reference_timing else ''}")
    print("| kernel | do_bench median us | referee cold median us | ratio | referee hot us (R) "
          "| ms per timed call | s per evaluation | evals/min | SM MHz |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['kernel']} | {r['do_bench_median_us']:.2f} | {r['harness_median_us']:.2f} | "
              f"{r['ratio']:.4f} | {r['harness_hot_median_us']:.2f} ({r['hot_repeat']}) | "
              f"{r['per_call_ms']:.2f} | {r['eval_s']:.2f} | {r['evals_per_min']:.1f} | "
              f"{r['sm_clock_mhz']} |")
    for r in rows:
        print(f"{r['kernel']}: evaluation walls {', '.join('%.2f' % w for w in r['eval_walls_s'])} s;"
              f" phases of the last: {r['phase_s']}")
    print("spread: " + "; ".join(
        f"{r['kernel']}: do_bench {min(r['do_bench_medians_us']):.2f}-"
        f"{max(r['do_bench_medians_us']):.2f}, referee {min(r['harness_medians_us']):.2f}-"
        f"{max(r['harness_medians_us']):.2f}" for r in rows))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
