import torch

LAST = None


class ModelNew(torch.nn.Module):
    shared = None

    def forward(self, x):
        # ruleid: persistent-state-global-in-forward
        global LAST
        LAST = x
        # ruleid: persistent-state-global-in-forward
        ModelNew.shared = x
        return x * 2


def setup():
    # ok: persistent-state-global-in-forward
    global LAST
    LAST = None


_compiled_add = None


def run(a, b):
    # ok: persistent-state-global-in-forward
    global _compiled_add
    if _compiled_add is None:
        _compiled_add = torch.compile(torch.add)
    return _compiled_add(a, b)


class Other(torch.nn.Module):
    def __init__(self):
        super().__init__()
        # ok: persistent-state-global-in-forward
        self.scale = 2.0
