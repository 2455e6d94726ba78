import torch
import torch.nn as nn


class ModelNew(nn.Module):
    def __init__(self, in_features, out_features, scale):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(out_features, in_features))
        self.scale = scale

    def forward(self, x):
        return (x @ self.weight.t()) * self.scale
