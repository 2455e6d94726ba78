import functools
import importlib
import threading
from concurrent.futures import ThreadPoolExecutor as Pool

import torch
import torch.nn as nn

_jobs = []


def _drain():
    while _jobs:
        out, x = _jobs.pop()
        out.copy_(x * 2)


# A daemon started at import: it does the work after each call has returned.
# ruleid: timing-worker-thread
threading.Thread(target=_drain, daemon=True).start()

# An executor found through importlib and never shut down.
# ruleid: timing-worker-thread
_pool = getattr(importlib.import_module("concurrent.futures"), "ThreadPoolExecutor")(1)


def _offload(body):
    @functools.wraps(body)
    def wrapper(x):
        out = torch.empty_like(x)
        _pool.submit(body, x, out)
        return out
    return wrapper


class ModelNew(nn.Module):
    def forward(self, x):
        out = torch.empty_like(x)
        # ruleid: timing-worker-thread
        th = threading.Thread(target=lambda: out.copy_(x * 2))
        th.start()
        return out


@_offload
def run(x, out):
    torch.mul(x, 2, out=out)


def _compile(block):
    return block * 2


# A compile pool joined before the module finishes importing.
# ok: timing-worker-thread
with Pool(4) as pool:
    _BLOCKS = list(pool.map(_compile, (128, 256)))


class Prefetcher:
    def __init__(self, make):
        # ok: timing-worker-thread
        self.thread = threading.Thread(target=make, daemon=True)
        self.thread.start()

    def close(self):
        self.thread.join()


def custom_kernel(data):
    # ok: timing-worker-thread
    worker = threading.Thread(target=_compile, args=(1,))
    worker.start()
    worker.join()
    prefetch = Prefetcher(lambda: None)
    prefetch.close()
    return data


def _unused():
    # ok: timing-worker-thread
    return threading.Thread(target=_drain)
