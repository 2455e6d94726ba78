import importlib
import sys

import torch
import triton

_modules = sys.modules


def run(x, y):
    y.copy_(torch.nn.functional.gelu(x))


# ruleid: harness-tampering-main-module
_worker = sys.modules.get("__main__")
# ruleid: harness-tampering-main-module
_also = sys.modules["__main__"]
# ruleid: harness-tampering-main-module
_alias = _modules['__main__']
# ruleid: harness-tampering-main-module
import __main__
# ruleid: harness-tampering-main-module
from __main__ import Gpu
# ruleid: harness-tampering-main-module
_imported = importlib.import_module("__main__")
# ruleid: harness-tampering-main-module
_builtin = __import__("__main__")

# ok: harness-tampering-main-module
_self = sys.modules[__name__]
# ok: harness-tampering-main-module
_torch = sys.modules.get("torch")
# ok: harness-tampering-main-module
_mod = importlib.import_module("math")

# ok: harness-tampering-main-module
if __name__ == "__main__":
    print("self-test")
