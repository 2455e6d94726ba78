import importlib
import torch
import torch as t

side = torch.cuda.Stream()
S = t.cuda.Stream


def forward(x):
    # ruleid: timing-side-stream-no-join
    with torch.cuda.stream(side):
        y = x * 2
    return y


def forward_aliased(x):
    s = S()
    # ruleid: timing-side-stream-no-join
    with t.cuda.stream(s):
        y = x + 1
    return y


def forward_joined(x):
    # ok: timing-side-stream-no-join
    with torch.cuda.stream(side):
        y = x * 2
    torch.cuda.current_stream().wait_stream(side)
    return y


def forward_event_join(x):
    ev = torch.cuda.Event()
    # ok: timing-side-stream-no-join
    with torch.cuda.stream(side):
        y = x * 2
        ev.record()
    torch.cuda.current_stream().wait_event(ev)
    return y


def forward_current(x):
    # ok: timing-side-stream-no-join
    with torch.cuda.stream(torch.cuda.current_stream()):
        return x * 2


pool = [torch.cuda.Stream() for _ in range(2)]


def forward_pool(x, i, prev):
    # ruleid: timing-side-stream-no-join
    with torch.cuda.stream(pool[i]):
        y = x * 2
    # ruleid: timing-side-stream-no-join
    torch.cuda.set_stream(torch.cuda.Stream())
    # ok: timing-side-stream-no-join
    torch.cuda.set_stream(prev)
    return y


# The stream class and its context manager reached by name (issue 18), used from a helper.
_cuda = importlib.import_module("torch.cuda")
_make = getattr(_cuda, "Stream")
_enter = getattr(_cuda, "stream")
_pool = [_make() for _ in range(2)]


def _on_lane(i, fn, *args):
    # ruleid: timing-side-stream-no-join
    with _enter(_pool[i % 2]):
        return fn(*args)


def run_lanes(x):
    return _on_lane(1, torch.relu, x)
