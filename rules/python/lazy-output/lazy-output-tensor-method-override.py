import torch


def forward(x):
    out = torch.zeros_like(x)
    # ruleid: lazy-output-tensor-method-override
    out.double = lambda: (x * 2).double()
    # ruleid: lazy-output-tensor-method-override
    setattr(out, "cpu", lambda: (x * 2).cpu())
    return out


class Cfg:
    def __init__(self):
        # ok: lazy-output-tensor-method-override
        self.cpu = False


def honest(x, args):
    # ok: lazy-output-tensor-method-override
    args.cuda = torch.cuda.is_available()
    # ok: lazy-output-tensor-method-override
    setattr(args, "lr", 0.1)
    return x
