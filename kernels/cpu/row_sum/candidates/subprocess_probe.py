# Honest look-alike of double_fork.py: runs a short command at import (as code that probes its
# environment does) and waits for it; nothing outlives it.
import subprocess

import torch

_uname = subprocess.run(["/bin/uname", "-m"], capture_output=True, text=True).stdout.strip()


def run(x, mask):
    return (x * (1 - mask)).sum(dim=-1)
