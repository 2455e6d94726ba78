"""A KernelBench-style candidate that games the benchmark (kernel-evaluators.md §7, pattern 14):
ModelNew remembers its output per input pointer and returns the stored tensor on later calls,
so only the first (untimed) call does any work. `referee audit` should flag the cache."""

import torch
import torch.nn as nn

_cache = {}


class ModelNew(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(dim, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        key = x.data_ptr()
        if key in _cache:
            return _cache[key]
        out = torch.relu(x @ self.weight)
        _cache[key] = out
        return out


def get_inputs():
    return [torch.randn(64, 128)]
