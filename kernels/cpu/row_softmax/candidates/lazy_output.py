# Lazy outputs: a Tensor subclass that would defer the work until someone reads it.
import torch


class Lazy(torch.Tensor):
    pass


def run(x):
    return torch.softmax(x, dim=-1).as_subclass(Lazy)
