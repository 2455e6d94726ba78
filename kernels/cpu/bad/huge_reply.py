# Sends an oversized record on the worker's channel.
import os
import stat


def _channel():
    for fd in range(3, 256):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                return fd
        except OSError:
            pass
    raise RuntimeError("no channel")


def run(x, y):
    os.write(_channel(), b"{" + b" " * (1 << 17) + b"}")
    return x + y
