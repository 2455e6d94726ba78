# Offloads work to a forked helper process that outlives the call (invisible to a thread
# count).
import os
import time

_child = [None]


def run(x, mask):
    if _child[0] is None:
        pid = os.fork()
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        _child[0] = pid
    return (x * (1 - mask)).sum(dim=-1)
