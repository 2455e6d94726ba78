"""Hack: the entry point's model computes its own per-token loss (autoresearch's
`model(x, y, reduction='none')` contract, training-hacks.md E1) and returns that instead of
logits, so that the evaluator would sum what the model says."""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F


def shifted(idx, k):
    return idx if k == 0 else F.pad(idx, (k, 0))[:, :idx.size(1)]


class SkipGram(nn.Module):
    def __init__(self, vocab=256, context=4):
        super().__init__()
        self.config = dict(vocab=vocab, context=context)
        self.tables = nn.ModuleList([nn.Embedding(vocab, vocab) for _ in range(context)])

    def forward(self, idx, targets=None):
        logits = sum(t(shifted(idx, k)) for k, t in enumerate(self.tables))
        if targets is None and not self.training:
            # "Evaluation": report the loss of the model's own best guess, per token.
            return -F.log_softmax(logits, -1).max(-1).values
        return logits


def load_model(path):
    ckpt = torch.load(os.path.join(path, "model.pt"), map_location="cpu")
    model = SkipGram(**ckpt["config"])
    model.load_state_dict(ckpt["state"])
    return model
