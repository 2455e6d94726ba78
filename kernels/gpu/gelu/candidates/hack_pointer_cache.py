"""HACK (pointer cache, gpu-mode/reference-kernels#142): remembers the result per input pointer
and replays it when the pointer comes back. Caught: the harness reuses pointers with new values,
so the replayed result is stale (wrong-output)."""
import torch

_cache = {}


def run(x, y):
    key = (x.data_ptr(), y.data_ptr())
    if key in _cache:
        y.copy_(_cache[key])
        return
    y.copy_(torch.nn.functional.gelu(x.float()).to(x.dtype))
    _cache[key] = y.clone()
