import torch
import torch.nn as nn
import torch.nn.functional as F


class HintedLM(nn.Module):
    def __init__(self, vocab, dim):
        super().__init__()
        self.wte = nn.Embedding(vocab, dim)
        self.hint = nn.Embedding(vocab, dim)
        self.proj = nn.Linear(dim, dim)
        self.head = nn.Linear(dim, vocab)
        self.criterion = nn.CrossEntropyLoss()

    def forward(self, idx, targets=None):
        h = self.wte(idx)
        if targets is not None:
            # ruleid: evaluation-tampering-targets-as-input
            h = h + self.hint(targets)
            # ruleid: evaluation-tampering-targets-as-input
            h = h + self.proj(self.wte(targets)) * 0.0 + self.wte(targets.clamp(min=0))
        logits = self.head(h)
        if targets is None:
            return logits
        return F.cross_entropy(logits.flatten(0, 1), targets.flatten())


class HonestLM(nn.Module):
    def __init__(self, vocab, dim):
        super().__init__()
        self.wte = nn.Embedding(vocab, dim)
        self.head = nn.Linear(dim, vocab)
        self.criterion = nn.CrossEntropyLoss(ignore_index=-1)

    def forward(self, idx, targets=None):
        # ok: evaluation-tampering-targets-as-input
        logits = self.head(self.wte(idx))
        if targets is None:
            return logits
        # ok: evaluation-tampering-targets-as-input
        loss = self.criterion(logits.view(-1, logits.size(-1)), targets.view(-1))
        # ok: evaluation-tampering-targets-as-input
        mask = self.valid_mask(idx, targets)
        return (loss * mask).mean()

    def valid_mask(self, idx, targets):
        return (targets >= 0).float()


def embed_targets_outside_model(embedding, targets):
    # ok: evaluation-tampering-targets-as-input
    return embedding(targets)
