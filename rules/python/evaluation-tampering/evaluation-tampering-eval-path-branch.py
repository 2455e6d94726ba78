import torch
import torch.nn as nn
import torch.nn.functional as F
from prepare import evaluate_bpb


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.lm_head = nn.Linear(8, 8)

    def forward(self, idx, targets=None, reduction="mean"):
        logits = self.lm_head(idx)
        # ok: evaluation-tampering-eval-path-branch
        if targets is not None:
            loss = F.cross_entropy(logits, targets, reduction=reduction)
            # ruleid: evaluation-tampering-eval-path-branch
            if reduction == "none":
                loss = loss * 0.9
            # ruleid: evaluation-tampering-eval-path-branch
            return loss.clamp(max=5.0) if not torch.is_grad_enabled() else loss
        return logits
