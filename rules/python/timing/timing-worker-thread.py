import threading
from concurrent.futures import ThreadPoolExecutor as Pool
import torch
import torch.nn as nn


class ModelNew(nn.Module):
    def forward(self, x):
        out = torch.empty_like(x)
        # ruleid: timing-worker-thread
        th = threading.Thread(target=lambda: out.copy_(x * 2))
        th.start()
        return out


def run(x):
    # ruleid: timing-worker-thread
    with Pool(2) as p:
        return p.submit(torch.relu, x).result()


def helper_outside(x):
    # ok: timing-worker-thread
    return threading.Lock()
