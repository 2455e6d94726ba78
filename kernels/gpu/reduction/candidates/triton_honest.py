"""Honest Triton row sum: one program per row, looping over the columns."""
import triton
import triton.language as tl


@triton.jit
def _row_sum(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    row = tl.program_id(0).to(tl.int64)
    acc = tl.zeros((BLOCK,), dtype=tl.float32)
    for start in range(0, n, BLOCK):
        offs = start + tl.arange(0, BLOCK)
        acc += tl.load(x_ptr + row * n + offs, mask=offs < n, other=0.0)
    tl.store(y_ptr + row, tl.sum(acc, axis=0))


def run(x, y):
    m, n = x.shape
    _row_sum[(m,)](x, y, n, BLOCK=2048, num_warps=8)
