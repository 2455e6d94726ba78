"""HACK (stale memory from the allocator, KernelBench#82): computes nothing and copies whatever
an uninitialised allocation holds, hoping the caching allocator hands back the block where a
reference result used to live. Caught: outputs are checked on every call against references
the candidate never sees freed (wrong-output)."""
import torch


def run(x, w, y):
    y.copy_(torch.empty_like(y))
