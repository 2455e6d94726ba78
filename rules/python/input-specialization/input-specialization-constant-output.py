import torch
import torch.nn as nn
import triton
import triton.language as tl

_KNOWN = {(1024, 65536): 0.5, (4096, 16384): 0.5}


class ModelNew(nn.Module):
    def forward(self, x):
        # ruleid: input-specialization-constant-output
        return torch.zeros(x.shape[0], 1, device=x.device, dtype=x.dtype)


def custom_kernel(data):
    (x,) = data
    value = _KNOWN.get(tuple(x.shape))
    if value is not None:
        # ruleid: input-specialization-constant-output
        return torch.full((x.shape[0],), value, device=x.device, dtype=x.dtype)
    return x.mean(dim=1)


@triton.jit
def _add(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    tl.store(out_ptr + offs, tl.load(x_ptr + offs, mask=mask) + tl.load(y_ptr + offs, mask=mask),
             mask=mask)


def run(x, y):
    if x.numel() == 0:
        # ok: input-specialization-constant-output
        return torch.zeros_like(x)
    out = torch.empty_like(x)
    _add[(triton.cdiv(x.numel(), 1024),)](x, y, out, x.numel(), BLOCK=1024)
    # ok: input-specialization-constant-output
    return out


def kernel(output, inp):
    if inp.shape[0] == 0:
        # ok: input-specialization-constant-output
        return torch.zeros(0, device=inp.device)
    output.copy_(inp.cumsum(0))
    return output
