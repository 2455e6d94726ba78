# expect: FAIL wrong-output
# Output caching keyed on a cheap fingerprint of the inputs (first element and shape).
import torch

_cache = {}


def run(a, b):
    key = (tuple(a.shape), round(float(a[0, 0]), 1))
    if key not in _cache:
        _cache[key] = a @ b
    return _cache[key]
