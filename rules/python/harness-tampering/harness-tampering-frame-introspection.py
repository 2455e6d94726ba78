import gc
import inspect
import sys
from sys import _getframe as gf


def forward(x):
    # ruleid: harness-tampering-frame-introspection
    caller = sys._getframe(1)
    # ruleid: harness-tampering-frame-introspection
    ref = caller.f_locals.get("output")
    # ruleid: harness-tampering-frame-introspection
    for obj in gc.get_objects():
        pass
    # ruleid: harness-tampering-frame-introspection
    frame = gf()
    # ok: harness-tampering-frame-introspection
    gc.collect()
    # ok: harness-tampering-frame-introspection
    sig = inspect.signature(forward)
    return ref
