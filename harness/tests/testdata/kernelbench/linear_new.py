import torch
import torch.nn as nn


class ModelNew(nn.Module):
    def __init__(self, in_features, out_features, scale):
        super().__init__()
        self.linear = nn.Linear(in_features, out_features)  # same seed -> same weights
        self.scale = scale

    def forward(self, x):
        return torch.addmm(self.linear.bias * self.scale, x, self.linear.weight.t() * self.scale)
