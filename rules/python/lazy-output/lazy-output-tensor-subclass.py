import torch
from torch import Tensor as T
import torch.nn as nn


# ruleid: lazy-output-tensor-subclass
class Lazy(torch.Tensor):
    pass


# ruleid: lazy-output-tensor-subclass
class Lazy2(T):
    pass


_Base = getattr(torch, "Ten" + "sor")
# ruleid: lazy-output-tensor-subclass
Deferred = type("Deferred", (_Base,), {})


# ruleid: lazy-output-tensor-subclass
class Aliased(_Base):
    pass


# ok: lazy-output-tensor-subclass
Record = type("Record", (object,), {"x": 1})


# ok: lazy-output-tensor-subclass
class ModelNew(nn.Module):
    pass


# ok: lazy-output-tensor-subclass
class Param(nn.Parameter):
    pass
