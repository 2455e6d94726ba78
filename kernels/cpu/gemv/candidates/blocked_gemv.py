# Honest look-alike of half_gemv.py: float32 throughout, summed in blocks of 64 along K (a
# different summation order from the reference's, as tiled kernels have).
import torch


def run(a, x):
    y = torch.zeros(a.shape[0], dtype=torch.float32)
    for s in range(0, a.shape[1], 64):
        y += a[:, s:s + 64] @ x[s:s + 64]
    return y
