import torch


def run(x):
    # Step by step, as SOL-ExecBench references are written.
    m = x.max(dim=-1, keepdim=True).values
    e = torch.exp(x - m)
    return e / e.sum(dim=-1, keepdim=True)
