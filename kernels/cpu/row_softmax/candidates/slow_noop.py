# Inflates the channel overhead the CPU timer subtracts: the worker's no-op requests (what the
# overhead was measured with) are answered slowly, calls at full speed, so every call's time
# would come out short by the sleep (a fake 2-4x speedup, issue 18).
import json
import time

import torch

_loads = json.loads


def _slow_on_noop(s, *args, **kwargs):
    text = s.decode() if isinstance(s, (bytes, bytearray)) else s
    if '"noop"' in text:
        time.sleep(0.003)
    return _loads(s, *args, **kwargs)


json.loads = _slow_on_noop


def run(x):
    return torch.softmax(x, dim=-1)
