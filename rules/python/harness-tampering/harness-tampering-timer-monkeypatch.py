import functools
import importlib
import sys
import time

import torch
from torch.cuda import Event as Ev

_real = time.perf_counter
# ruleid: harness-tampering-timer-monkeypatch
time.perf_counter = lambda: _real() * 0.5
# ruleid: harness-tampering-timer-monkeypatch
torch.cuda.Event.elapsed_time = lambda self, other: 0.01
# ruleid: harness-tampering-timer-monkeypatch
Ev.elapsed_time = lambda self, other: 0.01
# ruleid: harness-tampering-timer-monkeypatch
setattr(time, "time", lambda: 0.0)
# ruleid: harness-tampering-timer-monkeypatch
torch.cuda.synchronize = lambda *a: None

# Through module dictionaries and sys.modules.
_clock = sys.modules["time"]
# ruleid: harness-tampering-timer-monkeypatch
vars(_clock)["monotonic"] = lambda: 0.0
# ruleid: harness-tampering-timer-monkeypatch
torch.cuda.__dict__["synchronize"] = lambda device=None: None


def _install(fn):
    # A "registration" decorator that reaches the event class through importlib and builds the
    # method's name at run time.
    events = getattr(importlib.import_module("torch.cuda"), "Event")
    name = "_".join(("elapsed", "time"))
    # ruleid: harness-tampering-timer-monkeypatch
    setattr(events, name, functools.wraps(getattr(events, name))(lambda s, e: 0.01))
    return fn


def _swap(owner, attr, scale):
    original = getattr(owner, attr)
    # ruleid: harness-tampering-timer-monkeypatch
    setattr(owner, attr, lambda *a: original(*a) * scale)


@_install
def run(x):
    ev = torch.cuda.Event(enable_timing=True)
    kind = type(ev)
    # ruleid: harness-tampering-timer-monkeypatch
    kind.record = lambda self, stream=None: None
    # ruleid: harness-tampering-timer-monkeypatch
    ev.__class__.query = lambda self: True
    return x * 2


# A table of (owner, name) pairs patched in a loop.
for owner, attr in ((time, "perf_counter_ns"), (Ev, "synchronize")):
    _swap(owner, attr, 0.5)

# ok: harness-tampering-timer-monkeypatch
t0 = time.perf_counter()
# ok: harness-tampering-timer-monkeypatch
clock = time.perf_counter
# A candidate's own object with a `time` attribute is not the clock.
stats = type("Stats", (), {})()
# ok: harness-tampering-timer-monkeypatch
stats.time = 0.0
# ok: harness-tampering-timer-monkeypatch
torch.backends.cudnn.benchmark = True
