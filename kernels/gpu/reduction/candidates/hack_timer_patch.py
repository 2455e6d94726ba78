"""HACK (timer patch, gpu-mode/reference-kernels#162): makes torch.cuda.synchronize a no-op and
freezes perf_counter, which fools host-clock timers. Caught by the integrity check
(monkey-patch); CUPTI timing is unaffected."""
import time

import torch

torch.cuda.synchronize = lambda device=None: None
time.perf_counter = lambda: 1.0


def run(x, y):
    torch.sum(x, dim=-1, out=y)
