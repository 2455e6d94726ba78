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
