# Floods stdout; the worker's output is capped (RLIMIT_FSIZE), the write fails, the call fails.
import sys


def run(x, y):
    while True:
        sys.stdout.write("x" * 65536)
