import os
import pickle
import torch


def run(x):
    path = "/dev/shm/cached_out.pt"
    if os.path.exists(path):
        # ruleid: persistent-state-file-cache
        return torch.load(path)
    y = x * 2
    # ruleid: persistent-state-file-cache
    pickle.dump(y, open("/tmp/out.pkl", "wb"))
    # ok: persistent-state-file-cache
    os.makedirs("logs", exist_ok=True)
    return y
