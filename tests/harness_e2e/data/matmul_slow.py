# An honest but slow matmul (sleeps 20 ms per call), for the paired-comparison test: the
# gap survives any load on a shared CI machine.
import time


def run(a, b):
    time.sleep(0.02)
    return a @ b
