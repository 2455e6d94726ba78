"""Honest Triton GELU (tanh form through sigmoid; within bf16 tolerance of the erf form)."""
import triton
import triton.language as tl


@triton.jit
def _gelu(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask).to(tl.float32)
    y = x * tl.sigmoid(1.5957691216 * (x + 0.044715 * x * x * x))
    tl.store(y_ptr + offs, y.to(tl.bfloat16), mask=mask)


def run(x, y):
    n = x.numel()
    _gelu[(triton.cdiv(n, 4096),)](x, y, n, BLOCK=4096, num_warps=8)
