# expect: FAIL protocol
# Writes a forged record on the worker's channel before the real reply.
import os


def run(x, y):
    os.write(3, b"{\"seq\": 999999, \"ok\": true, \"t_ns\": 1}")
    return x + y
