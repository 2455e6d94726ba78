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

# ok: harness-tampering-timer-monkeypatch
t0 = time.perf_counter()
# ok: harness-tampering-timer-monkeypatch
clock = time.perf_counter
