import torch.nn as nn
from reference import Model as Ref


class Model(nn.Module):
    def forward(self, x):
        return x.relu()


# ruleid: reference-fallback-subclass-reference-model
class ModelNew(Model):
    pass


# ok: reference-fallback-subclass-reference-model
class ModelNew2(nn.Module):
    def forward(self, x):
        return x.clamp_min(0)
