"""The GPU demo's starting program for kernels/gpu/gelu: an honest Triton GELU (tanh form
through sigmoid, within bf16 tolerance of the erf form) with a poor launch configuration. The
built-in tuner and crossover search its annotated tunables; every change goes through the
whole cascade on the device."""
import triton
import triton.language as tl

BLOCK = 128  # referee: tune BLOCK in [128, 256, 512, 1024, 2048, 4096, 8192]
NUM_WARPS = 1  # referee: tune NUM_WARPS in [1, 2, 4, 8, 16]


@triton.jit
def _gelu(x_ptr, y_ptr, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    x = tl.load(x_ptr + offs, mask=mask).to(tl.float32)
    y = x * tl.sigmoid(1.5957691216 * (x + 0.044715 * x * x * x))
    tl.store(y_ptr + offs, y.to(tl.bfloat16), mask=mask)


def run(x, y):
    n = x.numel()
    _gelu[(triton.cdiv(n, BLOCK),)](x, y, n, BLOCK=BLOCK, num_warps=NUM_WARPS)
