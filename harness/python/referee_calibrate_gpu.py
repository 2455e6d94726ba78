"""Measures this GPU's peak rates for roofline floors and SOL scores.

Run by the trusted parent (`referee calibrate --device cuda`, harness/src/timing/calibrate_gpu.cc) as
    python3 referee_calibrate_gpu.py SECONDS
and prints one JSON object on stdout. Nothing here is untrusted: it times library kernels with
CUDA events on the default stream, best of several repetitions:
  - flops: dense bf16 matmul (the fastest dense rate the tasks use), 2*n^3 per product;
  - dram:  a copy of a buffer 8x the L2 size (bytes read + written);
  - cache: copies of a buffer pair that fits in L2, back to back (bytes read + written).
The parent adds headroom before using them as a floor (an honest kernel may beat the library
a little, never by the headroom).
"""
import json
import sys
import time

import torch


def best_seconds(fn, budget_s, inner=1):
    """Shortest of repeated timings of `inner` back-to-back runs of fn, per run."""
    fn()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    best = float("inf")
    deadline = time.monotonic() + budget_s
    reps = 0
    while reps < 3 or (time.monotonic() < deadline and reps < 200):
        start.record()
        for _ in range(inner):
            fn()
        end.record()
        end.synchronize()
        best = min(best, start.elapsed_time(end) * 1e-3 / inner)
        reps += 1
    return best


def main():
    budget = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    torch.cuda.init()
    props = torch.cuda.get_device_properties(0)
    n = 8192
    a = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    c = torch.empty(n, n, device="cuda", dtype=torch.bfloat16)
    t_mm = best_seconds(lambda: torch.matmul(a, b, out=c), budget / 3)
    del a, b, c

    big = max(8 * props.L2_cache_size, 1 << 30) // 4
    src = torch.ones(big, device="cuda", dtype=torch.float32)
    dst = torch.empty_like(src)
    t_dram = best_seconds(lambda: dst.copy_(src), budget / 3)
    dram_bytes = 2 * src.numel() * 4
    del src, dst

    small = max(props.L2_cache_size // 8, 1 << 16) // 4
    src = torch.ones(small, device="cuda", dtype=torch.float32)
    dst = torch.empty_like(src)
    t_cache = best_seconds(lambda: dst.copy_(src), budget / 3, inner=50)
    cache_bytes = 2 * src.numel() * 4

    json.dump({"name": torch.cuda.get_device_name(0),
               "flops_per_s": 2.0 * n ** 3 / t_mm,
               "dram_bytes_per_s": dram_bytes / t_dram,
               "cache_bytes_per_s": cache_bytes / t_cache,
               "l2_bytes": props.L2_cache_size,
               "sm_count": props.multi_processor_count,
               "torch": torch.__version__}, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
