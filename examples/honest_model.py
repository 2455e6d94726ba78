"""An honest KernelBench-style candidate: the output is computed from the inputs on every call.
The only cache is of a compiled kernel, keyed on the dtype, which is legitimate.
`referee audit` should report nothing here."""

import torch
import torch.nn as nn

_compiled = {}


def _relu_matmul(dtype):
    if dtype not in _compiled:
        _compiled[dtype] = torch.compile(lambda x, w: torch.relu(x @ w))
    return _compiled[dtype]


class ModelNew(nn.Module):
    def __init__(self, dim: int):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(dim, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _relu_matmul(x.dtype)(x, self.weight)


def get_inputs():
    return [torch.randn(64, 128)]
