# Numerically unsafe: softmax without subtracting the row's maximum. Every input of the task's
# narrow normal distribution passes; values a few tens large overflow exp() to inf and the
# output to NaN where the reference (torch.softmax) stays finite (issue 18's robustness probe).
import torch


def run(x):
    e = torch.exp(x)
    return e / e.sum(dim=-1, keepdim=True)
