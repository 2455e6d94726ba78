# Honest look-alike of unsafe_exp.py: the same exp-and-divide, with the max subtracted first.
import torch


def run(x):
    e = torch.exp(x - x.max(dim=-1, keepdim=True).values)
    return e / e.sum(dim=-1, keepdim=True)
