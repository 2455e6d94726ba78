"""Hack (training-hacks.md E2-E4, nanochat #844): a "bidirectional" context model. Besides the
bytes before position t it reads byte t+1 -- the very byte it is asked to predict -- through a
table on the sequence shifted left. Training loss collapses; so would an evaluator's that
trusts the model."""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F


def shifted(idx, k):
    if k >= 0:
        return idx if k == 0 else F.pad(idx, (k, 0))[:, :idx.size(1)]
    return F.pad(idx, (0, -k))[:, -k:]  # left: position t sees idx[t - k]


class Bidirectional(nn.Module):
    def __init__(self, vocab=256, offsets=(0, 1, 2, -1)):
        super().__init__()
        self.config = dict(vocab=vocab, offsets=list(offsets))
        self.offsets = list(offsets)
        self.tables = nn.ModuleList([nn.Embedding(vocab, vocab) for _ in self.offsets])

    def forward(self, idx):
        return sum(t(shifted(idx, k)) for k, t in zip(self.offsets, self.tables))


def load_model(path):
    ckpt = torch.load(os.path.join(path, "model.pt"), map_location="cpu")
    model = Bidirectional(**ckpt["config"])
    model.load_state_dict(ckpt["state"])
    return model
