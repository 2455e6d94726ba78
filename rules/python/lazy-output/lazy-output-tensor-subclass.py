import torch
from torch import Tensor as T
import torch.nn as nn


# ruleid: lazy-output-tensor-subclass
class Lazy(torch.Tensor):
    pass


# ruleid: lazy-output-tensor-subclass
class Lazy2(T):
    pass


# ok: lazy-output-tensor-subclass
class ModelNew(nn.Module):
    pass


# ok: lazy-output-tensor-subclass
class Param(nn.Parameter):
    pass
