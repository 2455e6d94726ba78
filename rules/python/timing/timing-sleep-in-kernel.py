import time
import torch

_seen = set()


def run(x):
    if x.data_ptr() in _seen:
        # ruleid: timing-sleep-in-kernel
        time.sleep(0.5)
    _seen.add(x.data_ptr())
    # ok: timing-sleep-in-kernel
    torch.cuda.synchronize()
    return x * 2
