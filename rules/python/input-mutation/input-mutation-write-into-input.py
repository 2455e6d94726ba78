import torch
import torch.nn as nn


def _scrub(t):
    t.mul_(0.0)


def _swap(t, value):
    setattr(t, "da" "ta", torch.full_like(t, value))


def _as_rows(t):
    return t.reshape(t.shape[0], -1)


def run(x, w, out):
    # ruleid: input-mutation-write-into-input
    x.zero_()
    rows = _as_rows(w).data
    # ruleid: input-mutation-write-into-input
    rows[0] = 1.0
    # ruleid: input-mutation-write-into-input
    _scrub(w.view(-1))
    # ruleid: input-mutation-write-into-input
    torch.exp(x, out=x)
    # ruleid: input-mutation-write-into-input
    _swap(w, 0.0)
    # ok: input-mutation-write-into-input
    torch.add(x, w, out=out)
    # ok: input-mutation-write-into-input
    out[:, 0] = 0.0


def custom_kernel(data):
    a, b, c = data
    # ruleid: input-mutation-write-into-input
    a.set_(torch.zeros_like(b).untyped_storage())
    # ruleid: input-mutation-write-into-input
    b += 1.0
    # The output tensor is part of `data`: writing it is the point.
    # ok: input-mutation-write-into-input
    torch.matmul(a, b, out=c)
    return c


class ModelNew(nn.Module):
    def forward(self, x, y):
        # ruleid: input-mutation-write-into-input
        torch.relu_(x)
        # A private copy is the candidate's own.
        y = y.clone()
        # ok: input-mutation-write-into-input
        y.add_(1.0)
        z = x * 2
        # ok: input-mutation-write-into-input
        z.clamp_(min=0)
        return y + z
