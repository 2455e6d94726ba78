import torch


def run(x, y):
    return torch.add(x, y)
