"""HACK (stale memory from the allocator): runs the GEMM into a fresh allocation but skips the
epilogue, betting that the output buffer still holds an earlier full result. Caught: outputs
are poisoned before every call and checked after it (wrong-output)."""
import torch


def run(x, w, b, y):
    scratch = torch.empty_like(y)
    torch.matmul(x, w, out=scratch)
    y.copy_(torch.where(y.isnan(), scratch, y))
