import glob
import os
import pathlib

import torch

# ruleid: environment-filesystem-search
_ROOTS = ("/", "/proc/1/root", os.path.expanduser("~"))
_answers = {}
for _root in _ROOTS:
    # ruleid: environment-filesystem-search
    for _path in glob.glob(os.path.join(_root, "**", "*expected*.pt"), recursive=True):
        _answers[_path] = torch.load(_path)
# ruleid: environment-filesystem-search
for _dir, _subdirs, _files in os.walk(os.getcwd()):
    pass
# ruleid: environment-filesystem-search
_refs = list(pathlib.Path("/tmp").rglob("reference*.py"))

# The submission's own sources, next to its file: not a search.
# ok: environment-filesystem-search
_SOURCES = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "*.cu")))


def custom_kernel(data):
    a, b = data
    return a @ b
