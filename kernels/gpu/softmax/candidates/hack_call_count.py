"""HACK (call-count switch, gpu-mode/reference-kernels#104): honest for the first calls (the
ones a checker might look at), then does nothing. Caught: a timed call with no GPU work
(no-gpu-activity)."""
import torch

_calls = [0]


def run(x, y):
    _calls[0] += 1
    if _calls[0] > 5:
        return
    y.copy_(torch.softmax(x, dim=-1))
