import torch


class Fake:
    @classmethod
    # ruleid: lazy-output-torch-function
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return True


def wrap(x):
    # ruleid: lazy-output-torch-function
    return torch.Tensor._make_subclass(Fake, x)


def honest(x):
    # ok: lazy-output-torch-function
    return x.contiguous().view(-1)


# ok: lazy-output-torch-function
def torch_function_helper():
    return None


# ruleid: lazy-output-torch-function
_make = getattr(torch.Tensor, "_make_" + "subclass")


def _hook(cls, func, types, args=(), kwargs=None):
    return func(*args, **(kwargs or {}))


# ruleid: lazy-output-torch-function
Lazy = type("Lazy", (torch.Tensor,), {"__torch_" + "function__": classmethod(_hook)})
# ok: lazy-output-torch-function
Plain = type("Plain", (object,), {"__repr__": lambda self: "plain"})
