"""gpu-mode `custom_kernel(data)` for a GEMM; looks honest on its own."""
import torch

from _autotune_cache import best_config


def custom_kernel(data):
    a, b = data
    _ = best_config(a.shape, b.shape)
    return torch.matmul(a, b)
