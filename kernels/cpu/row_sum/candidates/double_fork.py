# A helper process that leaves the worker's tree: forked twice, the middle one exits, so the
# helper is re-parented to the sandbox's init and no longer a child of the worker (issue 18's
# escaped process). It could do the work between calls, off the clock.
import os
import time

import torch


def _daemon():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
        os._exit(0)


_started = False


def run(x, mask):
    global _started
    if not _started:
        _started = True
        pid = os.fork()
        if pid == 0:
            _daemon()
            os._exit(0)
        os.waitpid(pid, 0)  # the middle process is reaped: nothing left under the worker
    return (x * (1 - mask)).sum(dim=-1)
