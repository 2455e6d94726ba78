"""Prints, as one JSON object, how to build against the torch this Python imports.

Used by harness/torch/CMakeLists.txt at configure time (the record the harness compiles torch
entry-point candidates with: the worker's torch, so the candidate, the shim and the worker share
one LibTorch and one C++ ABI) and by tests/gpu scripts.
Usage: python3 torch_config.py [--cflags | --libdir]
  --cflags  compiler flags (-std=... -isystem ... -D_GLIBCXX_USE_CXX11_ABI=N), one line
  --libdir  torch's library directory
"""
import json
import os
import sys

import torch

# The C++ standard torch's headers need: torch.utils.cpp_extension moved to C++20 for 2.11 and
# ATen requires it from 2.12/2.13 on; older torch (Debian's 1.13) is built as C++17.
_ver = tuple(int(p) for p in torch.__version__.split("+")[0].split(".")[:2] if p.isdigit())
root = os.path.dirname(os.path.realpath(torch.__file__))
include = os.path.join(root, "include")
config = {
    "python": sys.executable,
    "version": torch.__version__,
    "include_dirs": [include, os.path.join(include, "torch", "csrc", "api", "include")],
    "lib_dir": os.path.join(root, "lib"),
    "cxx11_abi": bool(torch._C._GLIBCXX_USE_CXX11_ABI),
    "cuda": torch.version.cuda or "",
    "cxx_std": "c++20" if _ver >= (2, 11) else "c++17",
}
if sys.argv[1:] == ["--cflags"]:
    print(" ".join(["-std=" + config["cxx_std"]] +
                   ["-isystem " + d for d in config["include_dirs"]] +
                   ["-D_GLIBCXX_USE_CXX11_ABI=%d" % config["cxx11_abi"]]))
elif sys.argv[1:] == ["--libdir"]:
    print(config["lib_dir"])
else:
    json.dump(config, sys.stdout)
    print()
