"""HACK (persisting-L2 window): reserves a persisting L2 carve-out so the weight survives the
harness's cold-cache flush between calls. Caught: the limit is reset before each call and
checked after it (persisting-l2)."""
import ctypes

import torch

_cuda = ctypes.CDLL("libcuda.so.1")
CU_LIMIT_PERSISTING_L2_CACHE_SIZE = 0x06


def run(x, w, b, y):
    _cuda.cuCtxSetLimit(CU_LIMIT_PERSISTING_L2_CACHE_SIZE, ctypes.c_size_t(16 << 20))
    y.copy_(torch.nn.functional.gelu(x.float() @ w.float() + b.float()).to(y.dtype))
