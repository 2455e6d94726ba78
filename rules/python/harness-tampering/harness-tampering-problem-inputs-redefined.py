import torch
import torch.nn as nn

M = 256
K = 2048


# ruleid: harness-tampering-problem-inputs-redefined
def get_inputs():
    return [torch.randn(M, K), torch.randn(K, M)]


class ModelNew(nn.Module):
    def forward(self, a, b):
        return torch.matmul(a, b)


# ruleid: harness-tampering-problem-inputs-redefined
def get_init_inputs():
    return []


# ok: harness-tampering-problem-inputs-redefined
def _make_kernel_config():
    return {"BLOCK": 128}
