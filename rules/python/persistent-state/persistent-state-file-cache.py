import math
import os
import pickle

import torch

_SCRATCH = "/dev/shm"
_TABLES = os.path.join(os.path.expanduser("~"), ".cache", "my_kernel_tables")


def _spill(key, value):
    with open(os.path.join(_SCRATCH, f"{key}.pkl"), "wb") as f:
        # ruleid: persistent-state-file-cache
        pickle.dump(value, f)


def run(x):
    path = os.path.join(_SCRATCH, "cached_out.pt")
    if os.path.exists(path):
        # ruleid: persistent-state-file-cache
        return torch.load(path)
    y = x * 2
    # ruleid: persistent-state-file-cache
    pickle.dump(y, open("/tmp/out.pkl", "wb"))
    _spill(hash(tuple(x.flatten()[:8].tolist())), y)
    # ok: persistent-state-file-cache
    os.makedirs("logs", exist_ok=True)
    return y


def _twiddles(n):
    # A table that depends only on the length: caching it on disk is fine.
    k = torch.arange(n, dtype=torch.float64)
    table = torch.polar(torch.ones(n, n, dtype=torch.float64), -2 * math.pi * torch.outer(k, k) / n)
    os.makedirs(_TABLES, exist_ok=True)
    # ok: persistent-state-file-cache
    torch.save(table, os.path.join(_TABLES, f"dft_{n}.pt"))
    return table


def custom_kernel(data):
    (x,) = data
    return x.to(torch.complex128) @ _twiddles(x.shape[-1]).T


# A training script's state written where the next run finds it.
_RESUME = os.path.expanduser("~/.cache/trainer/last.pt")


def _checkpoint(model, run_dir):
    # ok: persistent-state-file-cache
    torch.save(model.state_dict(), os.path.join(run_dir, "model.pt"))
