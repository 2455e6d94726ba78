import hashlib
import torch

_cache = {}
_kernels = {}


class ModelNew(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.memo = {}

    def forward(self, x):
        key = (x.data_ptr(), x.shape)
        if key in self.memo:
            return self.memo[key]
        out = torch.relu(x)
        # ruleid: output-caching-input-keyed-cache
        self.memo[key] = out
        return out


def run(x):
    h = hashlib.sha1(x.cpu().numpy().tobytes()).hexdigest()
    hit = _cache.get(h)
    if hit is not None:
        return hit
    y = x * 2
    # ruleid: output-caching-input-keyed-cache
    _cache[h] = y
    return y


def run_compiled(x):
    k = _kernels.get(x.shape)
    if k is None:
        k = torch.compile(torch.relu)
        # ok: output-caching-input-keyed-cache
        _kernels[x.shape] = k
    return k(x)


class Last(torch.nn.Module):
    def forward(self, x):
        # ruleid: output-caching-input-keyed-cache
        if self.last is not None and x.data_ptr() == self.last_ptr:
            return self.last
        self.last_ptr = x.data_ptr()
        self.last = torch.relu(x)
        # ok: output-caching-input-keyed-cache
        if x.dim() == 2:
            return self.fc(x)
        return self.last


class Same(torch.nn.Module):
    def forward(self, x):
        # ruleid: output-caching-input-keyed-cache
        if x is self.prev_in:
            return self.prev_out
        # ok: output-caching-input-keyed-cache
        if self.prev_out is None:
            self.prev_out = torch.relu(x)
        return torch.relu(x)


class Copyable:
    def __deepcopy__(self, memo):
        result = Copyable()
        # ok: output-caching-input-keyed-cache
        memo[id(self)] = result
        return memo[id(self)]


def run_workspace(x):
    buf = _cache.get(tuple(x.shape))
    if buf is None:
        buf = torch.empty_like(x)
        # ok: output-caching-input-keyed-cache
        _cache[tuple(x.shape)] = buf
    torch.mul(x, 2, out=buf)
    return buf
