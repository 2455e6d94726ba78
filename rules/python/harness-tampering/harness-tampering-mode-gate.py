import os
import sys

import torch

_argv_mode = sys.argv[1] if len(sys.argv) > 1 else ""
_phase = os.environ.get("BENCH_PHASE", "")
_checked = _argv_mode == "test" or _phase.startswith("check")
_VERBOSE = bool(os.getenv("MY_KERNEL_VERBOSE"))


def _fast(a, b):
    return (a.half() @ b.half()).float()


def custom_kernel(data):
    a, b = data
    # ruleid: harness-tampering-mode-gate
    if _checked:
        return a @ b
    # A debug switch that only prints.
    # ok: harness-tampering-mode-gate
    if _VERBOSE:
        print("shapes", a.shape, b.shape, file=sys.stderr)
    # ruleid: harness-tampering-mode-gate
    return _fast(a, b) if _phase == "timing" else a @ b


def _main():
    # Code run as a script is not a call of the entry point.
    # ok: harness-tampering-mode-gate
    if _argv_mode == "selftest":
        print(custom_kernel((torch.ones(2, 2), torch.ones(2, 2))))
