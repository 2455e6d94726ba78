# No work: returns zeros of the right shape.
import torch


def run(x, mask):
    return torch.zeros(x.shape[0])
