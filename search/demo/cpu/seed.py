# The CPU demo's starting program for kernels/cpu/vector_add: correct, and slow on purpose (a
# Python loop over small blocks), so that real improvements exist for the search to find.
import torch

BLOCK = 16  # referee: tune BLOCK in [16, 256, 4096, 65536, 262144]


# referee: begin-editable
def run(x, y):
    out = torch.empty_like(x)
    for i in range(0, x.numel(), BLOCK):
        torch.add(x[i:i + BLOCK], y[i:i + BLOCK], out=out[i:i + BLOCK])
    return out
# referee: end-editable
