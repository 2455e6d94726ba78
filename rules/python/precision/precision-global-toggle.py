import torch
import torch.nn as nn

# ruleid: precision-global-toggle
torch.backends.cuda.matmul.allow_tf32 = True
# ruleid: precision-global-toggle
torch.set_float32_matmul_precision("medium")
# ok: precision-global-toggle
torch.set_float32_matmul_precision("highest")
# ok: precision-global-toggle
torch.backends.cudnn.benchmark = True
# TF32 switched off: strict fp32, the opposite of the hack.
# ok: precision-global-toggle
torch.backends.cuda.matmul.allow_tf32 = False


class ModelNew(nn.Module):
    def forward(self, a, b):
        # ruleid: precision-global-toggle
        with torch.autocast("cuda", dtype=torch.float16):
            return a @ b
