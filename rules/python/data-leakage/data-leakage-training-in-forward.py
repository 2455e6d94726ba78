import torch
import torch.nn as nn
import torch.nn.functional as F


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.lm_head = nn.Linear(8, 8)
        self.opt = torch.optim.SGD(self.parameters(), lr=1e-3)

    def forward(self, idx, targets=None, reduction="mean"):
        logits = self.lm_head(idx)
        if targets is not None and not self.training:
            # ruleid: data-leakage-training-in-forward
            with torch.enable_grad():
                loss = F.cross_entropy(self.lm_head(idx), targets)
                # ruleid: data-leakage-training-in-forward
                loss.backward()
                # ruleid: data-leakage-training-in-forward
                self.opt.step()
        return logits


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        # ok: data-leakage-training-in-forward
        return x * x


def train_step(model, x, y, opt):
    # ok: data-leakage-training-in-forward
    F.cross_entropy(model(x), y).backward()
    opt.step()
