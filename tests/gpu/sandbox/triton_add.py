# GPU control: a Triton kernel (gcc, ptxas and dlopen from the cache in /scratch).
import torch
import triton
import triton.language as tl


@triton.jit
def add(x, y, out, n, BLOCK: tl.constexpr):
    i = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    m = i < n
    tl.store(out + i, tl.load(x + i, mask=m) + tl.load(y + i, mask=m), mask=m)


x = torch.rand(100000, device="cuda")
y = torch.rand(100000, device="cuda")
out = torch.empty_like(x)
add[(triton.cdiv(x.numel(), 1024),)](x, y, out, x.numel(), BLOCK=1024)
print("triton ok", torch.allclose(out, x + y))
