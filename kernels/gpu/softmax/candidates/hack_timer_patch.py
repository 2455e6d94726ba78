"""HACK (timer patch, gpu-mode/reference-kernels#162): replaces the clocks an in-process timer
would read. Harmless to CUPTI timing, and caught by the integrity check (monkey-patch)."""
import time

import torch

time.perf_counter = lambda: 0.0
torch.cuda.Event.elapsed_time = lambda self, end: 0.001


def run(x, y):
    y.copy_(torch.softmax(x, dim=-1))
