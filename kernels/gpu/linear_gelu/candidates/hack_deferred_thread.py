"""HACK (deferred thread): launches the real work from a background thread after returning.
Caught: CUPTI attributes the late kernels to no call window (activity-outside-window)."""
import threading
import time

import torch


def _later(x, w, b, y):
    time.sleep(0.003)
    y.copy_(torch.nn.functional.gelu(x.float() @ w.float() + b.float()).to(y.dtype))


def run(x, w, b, y):
    threading.Thread(target=_later, args=(x, w, b, y), daemon=True).start()
