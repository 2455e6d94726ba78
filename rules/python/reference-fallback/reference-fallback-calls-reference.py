import torch
import torch.nn as nn
# ruleid: reference-fallback-calls-reference
from reference import ref_kernel


class ModelNew(nn.Module):
    def __init__(self):
        super().__init__()
        # ruleid: reference-fallback-calls-reference
        self.ref = Model()

    def forward(self, x):
        # ok: reference-fallback-calls-reference
        y = torch.relu(x)
        # ruleid: reference-fallback-calls-reference
        return super().forward(y)


def custom_kernel(data):
    # ruleid: reference-fallback-calls-reference
    return ref_kernel(data)
