import os
import torch


def custom_kernel(data):
    # ruleid: harness-tampering-result-channel
    fd = int(os.environ.get("POPCORN_FD", "3"))
    # ruleid: harness-tampering-result-channel
    os.write(fd, b"check: pass\n")
    # ruleid: harness-tampering-result-channel
    os.dup2(2, 1)
    # ok: harness-tampering-result-channel
    os.makedirs("out", exist_ok=True)
    return data
