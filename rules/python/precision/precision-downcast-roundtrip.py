import torch
import torch.nn as nn
import triton
import triton.language as tl


class ModelNew(nn.Module):
    def forward(self, a, b):
        # ruleid: precision-downcast-roundtrip
        y = torch.matmul(a.half(), b.half()).float()
        # ruleid: precision-downcast-roundtrip
        z = (a.to(torch.bfloat16) @ b.to(torch.bfloat16)).float()
        # ok: precision-downcast-roundtrip
        s = torch.softmax(y.float(), dim=-1).half()
        # ok: precision-downcast-roundtrip
        t = torch.matmul(a.float(), b.float())
        return y + z + s.float() + t


@triton.jit
def gemm_downcast(a_ptr, b_ptr, c_ptr, BK: tl.constexpr):
    rk = tl.arange(0, BK)
    a = tl.load(a_ptr + rk)
    b = tl.load(b_ptr + rk)
    # ruleid: precision-downcast-roundtrip
    acc = tl.dot(a.to(tl.float16), b.to(tl.float16))
    tl.store(c_ptr + rk, acc)


@triton.jit
def gemm_w8a16(a_ptr, b_ptr, s_ptr, c_ptr, BK: tl.constexpr):
    rk = tl.arange(0, BK)
    a = tl.load(a_ptr + rk)
    w = tl.load(b_ptr + rk)
    # ok: precision-downcast-roundtrip
    acc = tl.dot(a, w.to(tl.float16) * tl.load(s_ptr))
    # ok: precision-downcast-roundtrip
    acc += tl.dot(a, w.to(tl.float16))
    tl.store(c_ptr + rk, acc)
