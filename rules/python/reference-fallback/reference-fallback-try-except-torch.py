import torch
import torch.nn.functional as F

try:
    import my_ext
except ImportError:
    # ok: reference-fallback-try-except-torch
    my_ext = torch.nn.Identity()


class ModelNew(torch.nn.Module):
    def forward(self, a, b):
        try:
            return my_ext.matmul(a, b)
        except Exception:
            # ruleid: reference-fallback-try-except-torch
            return torch.matmul(a, b)


def run(x):
    try:
        return my_ext.gelu(x)
    except RuntimeError:
        # ruleid: reference-fallback-try-except-torch
        return F.gelu(x)


def custom_kernel(x):
    try:
        return my_ext.relu(x)
    except RuntimeError as e:
        # ok: reference-fallback-try-except-torch
        torch.cuda.synchronize()
        raise RuntimeError("kernel failed") from e
