import os
import stat

import torch

# The result pipe is found at import time by its type and overwritten, then the process exits
# before the harness measures anything.
for fd in range(3, 64):
    try:
        # ruleid: harness-tampering-result-channel
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            # ruleid: harness-tampering-result-channel
            os.write(fd, b"time\t0.001\n")
    except OSError:
        pass


def _forge(line):
    # ruleid: harness-tampering-result-channel
    fd = int(os.environ.get("POPCORN_FD", "3"))
    # ruleid: harness-tampering-result-channel
    os.write(fd, line)


def custom_kernel(data):
    _forge(b"check: pass\n")
    # ruleid: harness-tampering-result-channel
    os.dup2(2, 1)
    # ok: harness-tampering-result-channel
    os.makedirs("out", exist_ok=True)
    # ok: harness-tampering-result-channel
    with open("out/log.txt", "a") as log:
        log.write("called\n")
    return data


def _unused_debug_dump(fd):
    # ok: harness-tampering-result-channel
    os.write(fd, b"debug\n")
