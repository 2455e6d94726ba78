"""Referee worker: runs a task's reference or a Python candidate in its own process.

Started by the trusted parent (harness/src/worker.cc) as
    python3 referee_worker.py CONFIG_JSON
with fd 3 a SOCK_SEQPACKET channel and fd 4 the shared-memory arena (memfd). Requests and
replies are JSON records carrying the request's sequence number. The parent never trusts
what comes back: it reads outputs from the arena itself and checks them; this file only
builds tensor views, calls the entry point and copies return values into the output slots.
stdout/stderr go to a capped file; nothing is printed on the channel but replies.
"""
import json
import mmap
import os
import socket
import sys
import time
import traceback

_perf = time.perf_counter_ns  # kept before any candidate code runs
_TIMERS = {name: getattr(time, name) for name in
           ("perf_counter_ns", "perf_counter", "monotonic", "monotonic_ns", "time", "time_ns",
            "process_time")}

CONFIG = json.loads(sys.argv[1])
CHAN = socket.socket(fileno=CONFIG.get("chan_fd", 3))
MAX_RECORD = 1 << 20


def send(obj):
    CHAN.send(json.dumps(obj).encode())


def timers_intact():
    return all(getattr(time, n, None) is f for n, f in _TIMERS.items())


import torch  # noqa: E402  (after the timer snapshot)

torch.set_num_threads(int(CONFIG.get("threads", 1)))
DTYPES = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16,
          "bfloat16": torch.bfloat16, "int64": torch.int64, "int32": torch.int32,
          "int16": torch.int16, "int8": torch.int8, "uint8": torch.uint8, "bool": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}
# Pre-faulted: fresh buffers every call must not put page faults inside the timed call.
ARENA = mmap.mmap(CONFIG.get("arena_fd", 4), CONFIG["arena_size"],
                  flags=mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0))


def load_module(path, code, name):
    import importlib.util
    import types
    if code is not None:
        mod = types.ModuleType(name)
        mod.__file__ = path or "<reference>"
        exec(compile(code, mod.__file__, "exec"), mod.__dict__)
        return mod
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def make_callable():
    kind = CONFIG.get("kind", "function")
    mod = load_module(CONFIG.get("module"), CONFIG.get("code"), "referee_" + CONFIG["role"])
    if kind == "function":
        fn = getattr(mod, CONFIG.get("entry", "run"), None)
        if not callable(fn):
            raise RuntimeError("entry point '%s' not found" % CONFIG.get("entry", "run"))
        return fn, None
    # KernelBench: the problem file gives get_init_inputs; Model or ModelNew is the callable.
    problem = load_module(CONFIG["kernelbench_file"], None, "referee_problem")
    cls = getattr(mod, "Model" if CONFIG["role"] == "reference" else "ModelNew", None)
    if cls is None:
        raise RuntimeError("module defines no %s" % ("Model" if CONFIG["role"] == "reference"
                                                     else "ModelNew"))
    torch.manual_seed(int(CONFIG.get("init_seed", 0)))
    model = cls(*problem.get_init_inputs())
    return model, problem


def view(desc):
    if "scalar" in desc:
        return desc["scalar"]
    dtype = DTYPES[desc["dtype"]]
    shape = [int(d) for d in desc["shape"]]
    numel = 1
    for d in shape:
        numel *= d
    if numel == 0:
        return torch.empty(shape, dtype=dtype)
    return torch.frombuffer(ARENA, dtype=dtype, count=numel, offset=int(desc["off"])).view(shape)


def describe(problem, fn):
    torch.manual_seed(int(CONFIG.get("init_seed", 0)))
    args = problem.get_inputs()
    ins = []
    for a in args:
        if isinstance(a, torch.Tensor):
            ins.append({"shape": list(a.shape), "dtype": NAMES[a.dtype]})
        else:
            ins.append({"scalar": float(a)})
    with torch.no_grad():
        out = fn(*args)
    outs = out if isinstance(out, (tuple, list)) else [out]
    return {"inputs": ins, "outputs": [{"shape": list(o.shape), "dtype": NAMES[o.dtype]}
                                       for o in outs]}


def call(fn, req):
    inputs = [view(d) for d in req["inputs"]]
    outputs = [view(d) for d in req["outputs"]]
    dps = CONFIG.get("dps", False)
    with torch.no_grad():
        t0 = _perf()
        if dps:
            fn(*inputs, *outputs)
            t1 = _perf()
            return {"t_ns": t1 - t0}
        ret = fn(*inputs)
        rets = list(ret) if isinstance(ret, (tuple, list)) else [ret]
        if len(rets) != len(outputs):
            return {"error": "returned %d outputs, expected %d" % (len(rets), len(outputs)),
                    "check": "output-schema"}
        for r, o in zip(rets, outputs):
            # Exact type: a subclass may defer its work until it is read (lazy outputs).
            if type(r) is not torch.Tensor:
                return {"error": "output is a %s, not a plain torch.Tensor" % type(r).__name__,
                        "check": "lazy-output"}
            if list(r.shape) != list(o.shape) or r.dtype != o.dtype:
                return {"error": "output has shape %s dtype %s, expected %s %s" % (
                    list(r.shape), NAMES.get(r.dtype, str(r.dtype)), list(o.shape),
                    NAMES[o.dtype]), "check": "output-schema"}
            o.copy_(r)
        t1 = _perf()
        return {"t_ns": t1 - t0}


def main():
    try:
        fn, problem = make_callable()
    except BaseException as e:  # noqa: BLE001 - any failure to load is the candidate's
        send({"seq": 0, "ok": False, "error": "load failed: %s: %s" % (type(e).__name__, e)})
        traceback.print_exc()
        return 1
    send({"seq": 0, "ok": True, "pid": os.getpid()})
    while True:
        data = CHAN.recv(MAX_RECORD)
        if not data:
            return 0
        req = json.loads(data)
        seq, op = req["seq"], req["op"]
        if op == "exit":
            send({"seq": seq, "ok": True})
            return 0
        if op == "noop":
            send({"seq": seq, "ok": True})
            continue
        try:
            if op == "describe":
                reply = describe(problem, fn)
            else:
                reply = call(fn, req)
        except BaseException as e:  # noqa: BLE001
            traceback.print_exc()
            reply = {"error": "%s: %s" % (type(e).__name__, str(e)[:500]), "check": "exception"}
        reply.update({"seq": seq, "ok": "error" not in reply, "timer_ok": timers_intact()})
        send(reply)


if __name__ == "__main__":
    sys.stdout.flush()
    os._exit(main())
