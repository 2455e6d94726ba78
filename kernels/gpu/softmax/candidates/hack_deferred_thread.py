"""HACK (deferred thread, SOL-ExecBench check_thread_injection): returns at once and lets a
background thread do the work a little later, outside the timed window. Caught: CUPTI sees the
late kernel outside every call window (activity-outside-window)."""
import threading
import time

import torch


def _later(x, y):
    time.sleep(0.002)
    y.copy_(torch.softmax(x, dim=-1))


def run(x, y):
    threading.Thread(target=_later, args=(x, y), daemon=True).start()
