"""HACK (input mutation, KernelBench#82): computes in place in the input buffer to save an
allocation, then copies out. The output is right; the caller's input is destroyed
(input-mutated)."""
import torch


def run(x, y):
    x.copy_(torch.nn.functional.gelu(x.float()).to(x.dtype))
    y.copy_(x)
