import time

import torch

_prev = {"ptr": None}
_done = set()


def _addr(t):
    return t.untyped_storage().data_ptr()


def _remember(t):
    _prev["ptr"] = _addr(t)


def kernel(output, inp):
    # The warm-up reuses one input: stretch it so that fewer timed calls are taken.
    repeated = _prev["ptr"] == _addr(inp)
    _remember(inp)
    # ruleid: persistent-state-identity-gate
    if repeated:
        time.sleep(0.2)
    torch.sum(inp * 0.5, dim=-1, out=output)


class ModelNew(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fn = None

    def forward(self, x):
        # ok: persistent-state-identity-gate
        if self.fn is None:
            self.fn = torch.compile(torch.relu)
        # ruleid: persistent-state-identity-gate
        if id(x) in _done:
            return x.relu_()
        _done.add(id(x))
        # ok: persistent-state-identity-gate
        if x.shape[0] > 1024:
            return self.fn(x)
        return torch.relu(x)


def custom_kernel(data):
    a, b = data
    # Alignment decides the path, and nothing is remembered.
    aligned = a.data_ptr() % 16 == 0
    # ok: persistent-state-identity-gate
    if aligned:
        return a @ b
    return (a.contiguous() @ b).contiguous()
