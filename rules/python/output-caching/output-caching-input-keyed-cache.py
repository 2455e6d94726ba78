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


# Inter-procedural (issue 18): the key is built in a helper, the store is in another helper or
# a decorator's closure, and the value is what the inputs computed.
def _ident(t):
    return t.data_ptr(), t.storage_offset(), t._version


def _probe(t):
    # A content fingerprint: a few sampled values, hashed.
    return hash(tuple(t.flatten()[::97][:32].tolist()))


class _Results:
    table = {}

    @classmethod
    def keep(cls, key, value):
        # ruleid: output-caching-input-keyed-cache
        cls.table[key] = value
        return value


def memo_by(key_fn):
    seen = {}

    def wrap(fn):
        def inner(*xs):
            k = tuple(key_fn(x) for x in xs)
            if k not in seen:
                # ruleid: output-caching-input-keyed-cache
                seen[k] = fn(*xs)
            return seen[k]
        return inner
    return wrap


@memo_by(_probe)
def custom_kernel(a, b):
    return a @ b


def solution(x, out):
    got = _Results.table.get(_ident(x))
    if got is not None:
        out.copy_(got)
        return out
    y = torch.empty_like(x)
    torch.sigmoid(x, out=y)
    _Results.keep(_ident(x), y)
    out.copy_(y)
    return out


# Honest look-alikes: what is stored never depends on the input's values, or the key never
# names the input.
_pool = {}
_plans = {}


def kernel_fn(x, out):
    # A workspace pool keyed on the address: the buffer is empty and rewritten on every call.
    buf = _pool.get(x.data_ptr())
    if buf is None:
        # ok: output-caching-input-keyed-cache
        _pool[x.data_ptr()] = buf = torch.empty_like(x)
    plan = _plans.get((x.shape, x.dtype))
    if plan is None:
        # ok: output-caching-input-keyed-cache
        _plans[(x.shape, x.dtype)] = plan = torch.compile(torch.tanh)
    torch.mul(x, 2, out=buf)
    out.copy_(plan(buf))
    return out
