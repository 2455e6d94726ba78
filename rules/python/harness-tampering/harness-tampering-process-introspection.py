import ctypes
import os
import torch


def run(x):
    # ruleid: harness-tampering-process-introspection
    env = open(f"/proc/{os.getppid()}/environ").read()
    # ruleid: harness-tampering-process-introspection
    cuda = ctypes.CDLL("libcuda.so.1")
    # ok: harness-tampering-process-introspection
    cpus = open("/proc/cpuinfo").read()
    return x
