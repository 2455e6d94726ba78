"""Reads kernels/gpu tasks (definition.json, native format of docs/tasks.md) and loads their
references and candidates for harness_worker.py.

Candidates are destination-passing: inputs then pre-allocated outputs, in definition order.
- Python (.py): a module-level `run(*inputs, *outputs)`.
- CUDA (.cu, compiled by the driver with nvcc into a .so): an exported
  `int referee_run_gpu(const referee_tensor* in, int32_t n_in, referee_tensor* out,
  int32_t n_out, void* stream)` (harness/include/referee/abi/referee_gpu_kernel.h), launching on `stream`.
"""
import ctypes
import importlib.util
import json
import os

import torch

DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16,
          "int32": torch.int32, "int64": torch.int64}
DTYPE_CODES = {torch.float32: 0, torch.float64: 1, torch.float16: 2, torch.bfloat16: 3,
               torch.int64: 4, torch.int32: 5}


def load_task(task_dir):
    with open(os.path.join(task_dir, "definition.json")) as f:
        d = json.load(f)
    axes = {k: int(v["value"]) for k, v in d.get("axes", {}).items() if v["type"] == "const"}

    def tensors(specs):
        out = []
        for name, t in specs.items():
            shape = [axes[a] if isinstance(a, str) else int(a) for a in t["shape"]]
            out.append({"name": name, "shape": shape, "dtype": DTYPES[t["dtype"]],
                        "generator": t.get("generator", {"kind": "normal"})})
        return out

    tol = d.get("tolerance", {})
    return {"dir": task_dir, "name": d["name"], "axes": axes, "inputs": tensors(d["inputs"]),
            "outputs": tensors(d["outputs"]), "reference": d["reference"],
            "tolerance": {"atol": tol.get("atol", 1e-2), "rtol": tol.get("rtol", 1e-2)},
            "flops": d.get("flops"), "bytes": d.get("bytes")}


def make_inputs(task, seed):
    g = torch.Generator(device="cuda").manual_seed(seed)
    out = []
    for t in task["inputs"]:
        gen = t["generator"]
        kind = gen.get("kind", "normal")
        if kind == "ones":
            x = torch.ones(t["shape"], device="cuda")
        else:
            x = torch.randn(t["shape"], device="cuda", generator=g) * gen.get("std", 1.0)
            x += gen.get("mean", 0.0)
        out.append(x.to(t["dtype"]))
    return out


def _import(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_reference(task):
    return _import(os.path.join(task["dir"], task["reference"]), "referee_reference").run


class _Tensor(ctypes.Structure):  # referee_tensor, harness/include/referee/abi/referee_kernel.h
    _fields_ = [("data", ctypes.c_void_p), ("dtype", ctypes.c_int32), ("ndim", ctypes.c_int32),
                ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("strides", ctypes.POINTER(ctypes.c_int64))]


def _describe(tensors):
    arr = (_Tensor * len(tensors))()
    keep = []
    for i, t in enumerate(tensors):
        shape = (ctypes.c_int64 * t.dim())(*t.shape)
        strides = (ctypes.c_int64 * t.dim())(*t.stride())
        keep += [shape, strides]
        arr[i] = _Tensor(t.data_ptr(), DTYPE_CODES[t.dtype], t.dim(), shape, strides)
    return arr, keep


def load_candidate(task, cand):
    if cand["language"] == "python":
        return _import(cand["path"], "candidate").run
    if cand.get("torch_shim"):  # LibTorch entry point, through harness/torch's shim
        torch.ops.load_library(cand["torch_shim"])
        torch.ops.referee.load_library(cand["so"])
        op, n = torch.ops.referee.run_library, len(task["inputs"])
        return lambda *t: op(cand["so"], list(t[:n]), list(t[n:]))
    lib = ctypes.CDLL(cand["so"])
    fn = lib.referee_run_gpu
    fn.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.c_void_p, ctypes.c_int32,
                   ctypes.c_void_p]
    n_in = len(task["inputs"])

    def run(*tensors):
        ins, k1 = _describe(tensors[:n_in])
        outs, k2 = _describe(tensors[n_in:])
        stream = torch.cuda.current_stream().cuda_stream
        rc = fn(ctypes.addressof(ins), n_in, ctypes.addressof(outs), len(tensors) - n_in,
                ctypes.c_void_p(stream))
        if rc != 0:
            raise RuntimeError(f"referee_run_gpu returned {rc}")
    return run


def mismatch(out, ref, tol):
    """None when `out` matches `ref` within atol + rtol*|ref| everywhere, else a description."""
    if out.shape != ref.shape or out.dtype != ref.dtype:
        return f"shape/dtype {tuple(out.shape)}/{out.dtype}, expected {tuple(ref.shape)}/{ref.dtype}"
    o, r = out.float(), ref.float()
    bound = tol["atol"] + tol["rtol"] * r.abs()
    bad = ~((o - r).abs() <= bound)  # NaN counts as bad
    n = int(bad.sum())
    if n:
        return f"{n} of {o.numel()} elements off (max abs err {float((o - r).abs().nan_to_num(1e30).max()):.3g})"
    return None
