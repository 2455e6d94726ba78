import functools
from functools import lru_cache
import torch


# ruleid: output-caching-memoized-entry
@functools.lru_cache(maxsize=None)
def run(x):
    return x * 2


# ok: output-caching-memoized-entry
@lru_cache(maxsize=32)
def get_config(n, dtype):
    return (min(n, 1024), dtype)


class ModelNew(torch.nn.Module):
    # ruleid: output-caching-memoized-entry
    @functools.cache
    def forward(self, x):
        return x + 1
