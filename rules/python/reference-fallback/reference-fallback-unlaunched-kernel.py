import torch
import triton
import triton.language as tl

_ops = vars(torch.nn)["functional"]


@triton.jit
# ruleid: reference-fallback-unlaunched-kernel
def _layer_norm_fwd(x_ptr, y_ptr, n_cols, BLOCK: tl.constexpr):
    offs = tl.arange(0, BLOCK)
    tl.store(y_ptr + offs, tl.load(x_ptr + offs, mask=offs < n_cols), mask=offs < n_cols)


@triton.jit
# ok: reference-fallback-unlaunched-kernel
def _square(v):
    return v * v


@triton.jit
# ok: reference-fallback-unlaunched-kernel
def _sum_squares(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    tl.store(y_ptr + offs, _square(tl.load(x_ptr + offs, mask=offs < n)), mask=offs < n)


def run(x, weight, bias, out):
    y = torch.empty_like(x)
    _sum_squares[(triton.cdiv(x.numel(), 256),)](x, y, x.numel(), BLOCK=256)
    out.copy_(getattr(_ops, "layer_norm")(x, x.shape[-1:], weight, bias, 1e-5))
