"""HACK (content cache keyed on pointers, gpu-mode/kernelbot#501): caches C per (A, B) pointer
pair and replays it. Caught: pointers come back with new values (wrong-output)."""
_cache = {}


def run(a, b, c):
    key = (a.data_ptr(), b.data_ptr())
    if key not in _cache:
        _cache[key] = (a.float() @ b.float()).to(a.dtype)
    c.copy_(_cache[key])
