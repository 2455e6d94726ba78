"""Prints, as one JSON object, how to build against the torch this Python imports.

Used by harness/torch/CMakeLists.txt at configure time (the record the harness compiles torch
entry-point candidates with: the worker's torch, so the candidate, the shim and the worker share
one LibTorch and one C++ ABI) and by tests/gpu scripts. Usage: python3 torch_config.py
"""
import json
import os
import sys

import torch

root = os.path.dirname(os.path.realpath(torch.__file__))
include = os.path.join(root, "include")
json.dump({
    "python": sys.executable,
    "version": torch.__version__,
    "include_dirs": [include, os.path.join(include, "torch", "csrc", "api", "include")],
    "lib_dir": os.path.join(root, "lib"),
    "cxx11_abi": bool(torch._C._GLIBCXX_USE_CXX11_ABI),
    "cuda": torch.version.cuda or "",
}, sys.stdout)
print()
