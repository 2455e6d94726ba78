"""HACK (side stream, pytorch/helion#2994): computes on a private stream that the caller's
stream never waits for. Caught: CUPTI sees the work finish after the caller's stream drained
(unjoined-stream); its time is still counted."""
import torch

_side = []


def run(x, w, y):
    if not _side:
        _side.append(torch.cuda.Stream())
    with torch.cuda.stream(_side[0]):
        xf = x.float()
        y.copy_((xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + 1e-6) * w.float()).to(y.dtype))
