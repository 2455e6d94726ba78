"""Referee worker: runs a task's reference or a Python candidate in its own process.

Started by the trusted parent (harness/src/workers/worker.cc) as
    python3 referee_worker.py CONFIG_JSON
with fd 3 a SOCK_SEQPACKET channel and fd 4 the shared-memory arena (memfd). Requests and
replies are JSON records carrying the request's sequence number. The parent never trusts
what comes back: it reads outputs from the arena itself and checks them; this file only
builds tensor views, calls the entry point and copies return values into the output slots.
stdout/stderr go to a capped file; nothing is printed on the channel but replies.

device "cuda" (referee eval --device cuda): inputs are copied from the arena into fresh GPU
tensors and outputs poisoned (NaN / -7) on the GPU, the candidate runs on a worker stream, and
outputs and inputs are copied back into the arena for the parent's checks. When the parent
started this worker under the CUPTI tracer (CUDA_INJECTION64_PATH), every piece of GPU work sits
in a traced window, per harness/cupti/include/referee/cupti/cupti_timer.h: the n-th call request
runs the candidate in call window n (closed with the candidate's stream), the copies in harness
windows, then the trace is flushed before the reply. The time comes from the trace, never from
this process.
"""
import faulthandler
import json
import mmap
import os
import socket
import sys
import time
import traceback

# A worker that hangs (an import, CUDA or tracer init, a lock, the candidate) dumps every
# thread's stack to stderr when the parent sends this signal before killing it, so the error
# names where. A signal handler, not faulthandler's watchdog thread: threads are counted.
if os.environ.get("REFEREE_HANG_SIGNAL", "").isdigit():
    faulthandler.register(int(os.environ["REFEREE_HANG_SIGNAL"]), all_threads=True)

_perf = time.perf_counter_ns  # kept before any candidate code runs
_TIMERS = {(time, name): getattr(time, name) for name in
           ("perf_counter_ns", "perf_counter", "monotonic", "monotonic_ns", "time", "time_ns",
            "process_time")}

CONFIG = json.loads(sys.argv[1])
CHAN = socket.socket(fileno=CONFIG.get("chan_fd", 3))
MAX_RECORD = 1 << 20


def send(obj):
    CHAN.send(json.dumps(obj).encode())


def timers_intact():
    return all(getattr(o, n, None) is f for (o, n), f in _TIMERS.items())


import torch  # noqa: E402  (after the timer snapshot)

torch.set_num_threads(int(CONFIG.get("threads", 1)))
DTYPES = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16,
          "bfloat16": torch.bfloat16, "int64": torch.int64, "int32": torch.int32,
          "int16": torch.int16, "int8": torch.int8, "uint8": torch.uint8, "bool": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}
if CONFIG.get("device") == "cuda":
    # GPU timing functions a candidate might patch to fool other harnesses: a patch is reported.
    for _owner, _name in ((torch.cuda, "synchronize"), (torch.cuda.Event, "elapsed_time"),
                          (torch.cuda.Event, "record"), (torch.cuda.Event, "synchronize")):
        _TIMERS[(_owner, _name)] = getattr(_owner, _name)
# Pre-faulted: fresh buffers every call must not put page faults inside the timed call.
ARENA = mmap.mmap(CONFIG.get("arena_fd", 4), CONFIG["arena_size"],
                  flags=mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0))


DEVICE = CONFIG.get("device", "cpu")
GPU = None  # the CUDA state, set up in main() before the candidate loads
MODULE = None  # the loaded module (the reference's holds its custom_inputs_entrypoint)


# The SM clock probe (issue #7): one thread spins SM_CLOCK_CYCLES cycles of clock64 and reads
# %globaltimer (ns) before and after; out[0] = cycles spun, out[1] = ns. Loaded by the driver
# (cuModuleLoadData JIT-compiles it: no nvcc at run time); ptxas-checked in CI
# (harness/tests/sm_clock_ptx_test.py). ~100 us at 2 GHz: globaltimer ticks of up to 1 us
# stay under 1%.
SM_CLOCK_PTX = b"""
.version 7.0
.target sm_75
.address_size 64

.visible .entry referee_sm_clock(.param .u64 cycles, .param .u64 out)
{
    .reg .pred %p<2>;
    .reg .b64 %rd<12>;
    ld.param.u64 %rd1, [cycles];
    ld.param.u64 %rd2, [out];
    cvta.to.global.u64 %rd3, %rd2;
    mov.u64 %rd4, %globaltimer;
    mov.u64 %rd5, %clock64;
SPIN:
    mov.u64 %rd6, %clock64;
    sub.s64 %rd7, %rd6, %rd5;
    setp.lt.u64 %p1, %rd7, %rd1;
    @%p1 bra SPIN;
    mov.u64 %rd8, %globaltimer;
    sub.s64 %rd9, %rd8, %rd4;
    st.global.u64 [%rd3], %rd7;
    st.global.u64 [%rd3+8], %rd9;
    ret;
}
"""
SM_CLOCK_CYCLES = 200000


class Gpu:
    """GPU side of the worker: a stream, the L2 flush buffer, the tracer's window markers, the
    SM clock probe."""
    CALL, HARNESS, SETUP = 1, 2, 3
    PERSISTING_L2 = 0x06  # CU_LIMIT_PERSISTING_L2_CACHE_SIZE

    def __init__(self):
        import ctypes
        self.ctypes = ctypes
        torch.cuda.init()
        self.cuda = ctypes.CDLL("libcuda.so.1")
        self.stream = torch.cuda.Stream()
        lib = os.environ.get("CUDA_INJECTION64_PATH")
        self.tracer = ctypes.CDLL(lib) if lib and CONFIG["role"] != "reference" else None
        if self.tracer is not None:
            self.tracer.referee_cupti_window_begin.argtypes = [ctypes.c_uint64, ctypes.c_int]
            self.tracer.referee_cupti_window_end.argtypes = [ctypes.c_uint64, ctypes.c_int,
                                                             ctypes.c_void_p]
        self.calls = 0
        self.harness_id = 1 << 40  # harness window ids: apart from the call numbers
        self.flush = None
        self.clock_fn = None  # the SM clock probe, when the driver loaded it
        self.clock_buf = None

    def window(self, kind, fn, wid=None):
        if wid is None:
            self.harness_id += 1
            wid = self.harness_id
        lap("before-window")
        if self.tracer is not None and self.tracer.referee_cupti_window_begin(wid, kind) != 0:
            raise RuntimeError("window_begin(%d) failed" % wid)
        lap("window-begin")
        try:
            with torch.cuda.stream(self.stream):
                return fn()
        finally:
            lap("window-body-%d" % kind)
            if self.tracer is not None:
                rc = self.tracer.referee_cupti_window_end(
                    wid, kind, self.ctypes.c_void_p(self.stream.cuda_stream))
                if rc != 0:
                    raise RuntimeError("window_end(%d) failed" % wid)
            else:
                torch.cuda.synchronize()
            lap("window-end")

    def setup(self):
        props = torch.cuda.get_device_properties(0)
        # research/timing.md section 5: flush at least 2x L2 outside the timed window.
        self.flush = torch.empty(2 * props.L2_cache_size // 4, dtype=torch.int32, device="cuda")
        self.reset_persisting_l2(force=True)
        self.load_clock()
        self.pin_arena()

    def pin_arena(self):
        """Page-locks the arena for the driver: every call copies its inputs in and its outputs
        and inputs back, and pageable copies go through a staging buffer (milliseconds per
        call for a few MiB). Advisory: on failure the copies stay pageable."""
        c = self.ctypes
        addr = c.addressof(c.c_char.from_buffer(ARENA))
        rc = self.cuda.cuMemHostRegister_v2(c.c_void_p(addr), c.c_size_t(len(ARENA)), c.c_uint(0))
        if SEGMENTS is not None:
            SEGMENTS["arena-pin-result"] = [rc]
        if rc != 0:
            print("referee worker: arena not page-locked (CUresult %d)" % rc, file=sys.stderr)

    def load_clock(self):
        c = self.ctypes
        module, fn = c.c_void_p(), c.c_void_p()
        rc = self.cuda.cuModuleLoadData(c.byref(module), c.c_char_p(SM_CLOCK_PTX))
        if rc == 0:
            rc = self.cuda.cuModuleGetFunction(c.byref(fn), module, b"referee_sm_clock")
        if rc != 0:  # the reading is advisory: the parent reports it missing
            print("referee worker: SM clock probe not loaded (CUresult %d)" % rc, file=sys.stderr)
            return
        self.cuda.cuLaunchKernel.argtypes = [c.c_void_p] + [c.c_uint] * 7 + [
            c.c_void_p, c.c_void_p, c.c_void_p]
        self.clock_fn = fn
        self.clock_buf = torch.zeros(2, dtype=torch.int64, device="cuda")

    def clock(self):
        """The SM clock probe on the worker's stream: the last thing in the harness window
        right before a timed call window."""
        if self.clock_fn is None:
            return
        c = self.ctypes
        cycles = c.c_uint64(SM_CLOCK_CYCLES)
        out = c.c_uint64(self.clock_buf.data_ptr())
        params = (c.c_void_p * 2)(c.cast(c.byref(cycles), c.c_void_p),
                                  c.cast(c.byref(out), c.c_void_p))
        rc = self.cuda.cuLaunchKernel(self.clock_fn, 1, 1, 1, 1, 1, 1, 0,
                                      c.c_void_p(self.stream.cuda_stream), params, None)
        if rc != 0:
            self.clock_fn = None

    def clock_reading(self):
        """{"cycles", "ns"} of the last probe (read back in a harness window), or None."""
        if self.clock_fn is None:
            return None
        cycles, ns = self.clock_buf.tolist()
        return {"cycles": cycles, "ns": ns}

    def reset_persisting_l2(self, force=False):
        limit = self.ctypes.c_size_t(0)
        self.cuda.cuCtxGetLimit(self.ctypes.byref(limit), self.PERSISTING_L2)
        if force or limit.value != 0:
            self.cuda.cuCtxResetPersistingL2Cache()
            self.cuda.cuCtxSetLimit(self.PERSISTING_L2, self.ctypes.c_size_t(0))

    def cold(self):
        self.cuda.cuMemsetD32Async(self.ctypes.c_uint64(self.flush.data_ptr()),
                                   self.ctypes.c_uint(0), self.ctypes.c_size_t(self.flush.numel()),
                                   self.ctypes.c_void_p(self.stream.cuda_stream))
        self.reset_persisting_l2()

    def persisting_limit(self):
        limit = self.ctypes.c_size_t(0)
        self.cuda.cuCtxGetLimit(self.ctypes.byref(limit), self.PERSISTING_L2)
        return limit.value

    def flush_trace(self):
        if self.tracer is not None:
            self.tracer.referee_cupti_flush()

    def finish_trace(self):
        """Late work (a candidate's thread) lands in a drain window; then the final frame."""
        if self.tracer is None:
            return
        self.window(self.HARNESS, lambda: time.sleep(0.02))
        self.tracer.referee_cupti_finish()


# id -> (entry point, binder) of those the harness wrapped itself (load_cuda_library). Only these are
# bound in the harness window: a candidate's own callable never runs code outside its window.
_PREBOUND = {}


def load_cuda_library(path, n_inputs):
    """A .cu candidate built by the parent: referee_run_gpu (kernels/gpu/common/
    referee/abi/referee_gpu_kernel.h) with device pointers, called on the current stream; or one with the
    LibTorch entry point (config torch_library)."""
    if CONFIG.get("torch_library"):
        return bind_torch_library(path, n_inputs)
    import ctypes

    class Tensor(ctypes.Structure):
        _fields_ = [("data", ctypes.c_void_p), ("dtype", ctypes.c_int32),
                    ("ndim", ctypes.c_int32), ("shape", ctypes.POINTER(ctypes.c_int64)),
                    ("strides", ctypes.POINTER(ctypes.c_int64))]
    codes = {"float32": 0, "float64": 1, "float16": 2, "bfloat16": 3, "int64": 4, "int32": 5,
             "int16": 6, "int8": 7, "uint8": 8, "bool": 9}
    fn = ctypes.CDLL(path).referee_run_gpu
    fn.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.c_void_p, ctypes.c_int32,
                   ctypes.c_void_p]

    def describe_all(tensors):
        arr = (Tensor * max(1, len(tensors)))()
        keep = []
        for i, t in enumerate(tensors):
            shape = (ctypes.c_int64 * max(1, t.dim()))(*t.shape)
            strides = (ctypes.c_int64 * max(1, t.dim()))(*t.stride())
            keep += [shape, strides]
            arr[i] = Tensor(t.data_ptr(), codes[NAMES[t.dtype]], t.dim(), shape, strides)
        return arr, keep

    def bind(*tensors):
        """The call with its arguments marshalled now: call_cuda binds in the harness window,
        so a hot window holds the candidate's launches, not this marshalling."""
        ins, k1 = describe_all(tensors[:n_inputs])
        outs, k2 = describe_all(tensors[n_inputs:])
        args = (ctypes.addressof(ins), n_inputs, ctypes.addressof(outs), len(tensors) - n_inputs,
                ctypes.c_void_p(torch.cuda.current_stream().cuda_stream))

        def call():
            rc = fn(*args)
            if rc != 0:
                raise RuntimeError("referee_run_gpu returned %d" % rc)
        call.keep = (ins, outs, k1, k2)
        return call

    def run(*tensors):
        bind(*tensors)()
    _PREBOUND[id(run)] = (run, bind)
    return run


def load_torch_library(shim, path):
    """A C++/CUDA candidate with the LibTorch entry point (referee_run_torch,
    harness/include/referee/abi/referee_torch_kernel.h), built by the parent: loaded now
    through the torch shim (harness/torch), so a missing symbol fails the load."""
    torch.ops.load_library(shim)
    torch.ops.referee.load_library(path)


def bind_torch_library(path, n_inputs):
    """referee_run_torch(inputs, outputs) on the worker's tensors, on the current stream; a
    scalar input becomes a 0-dim double tensor."""
    op = torch.ops.referee.run_library

    def run(*tensors):
        ts = [t if isinstance(t, torch.Tensor) else torch.tensor(float(t), dtype=torch.float64)
              for t in tensors]
        op(path, ts[:n_inputs], ts[n_inputs:])
    return run


def load_module(path, code, name):
    import importlib.util
    import types
    if code is not None:
        mod = types.ModuleType(name)
        mod.__file__ = path or "<reference>"
        exec(compile(code, mod.__file__, "exec"), mod.__dict__)
        return mod
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    if path.endswith(".so") and CONFIG.get("extension_name"):
        # An SOL-ExecBench C++ solution built by the parent (referee_build_ext.py): an extension
        # module found by its TORCH_EXTENSION_NAME (its PyInit_ symbol).
        name = CONFIG["extension_name"]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def make_callable():
    global MODULE
    kind = CONFIG.get("kind", "function")
    if CONFIG.get("cuda_library"):
        return CONFIG["cuda_library"], None  # bound on the first call (needs the input count)
    if CONFIG.get("torch_library"):
        load_torch_library(CONFIG["torch_shim"], CONFIG["torch_library"])
        return CONFIG["torch_library"], None  # likewise
    mod = load_module(CONFIG.get("module"), CONFIG.get("code"), "referee_" + CONFIG["role"])
    MODULE = mod
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


def generate(req):
    """op "generate", the trusted reference only: the definition's custom_inputs_entrypoint
    fn(axes_and_scalars, device) -> {name: tensor}, with torch seeded by the parent's per-call
    seed, each requested input checked against the definition's shape and dtype and copied into
    its arena slot. It never runs in a candidate's process: the parent asks only its reference
    worker (harness/src/checks/reference_runner.cc)."""
    if CONFIG.get("role") != "reference" or MODULE is None:
        return {"error": "custom inputs are drawn by the reference worker only",
                "check": "exception"}
    fn = getattr(MODULE, req["entry"], None)
    if not callable(fn):
        return {"error": "custom_inputs_entrypoint '%s' is not a function of the reference"
                % req["entry"], "check": "exception"}
    torch.manual_seed(int(req["seed"]))
    device = torch.device("cuda" if DEVICE == "cuda" else "cpu")
    with torch.no_grad():
        made = fn(dict(req["axes"]), device)
    if not isinstance(made, dict):
        return {"error": "custom_inputs_entrypoint returned a %s, not a dict of tensors"
                % type(made).__name__, "check": "exception"}
    for d in req["outputs"]:
        t = made.get(d["name"])
        if not isinstance(t, torch.Tensor):
            return {"error": "custom_inputs_entrypoint gave no tensor for input '%s'" % d["name"],
                    "check": "exception"}
        slot = view(d)
        if list(t.shape) != list(slot.shape) or t.dtype != slot.dtype:
            return {"error": "custom_inputs_entrypoint gave input '%s' shape %s dtype %s, the "
                    "definition says %s %s" % (d["name"], list(t.shape), NAMES.get(t.dtype, t.dtype),
                                               list(slot.shape), NAMES[slot.dtype]),
                    "check": "exception"}
        slot.copy_(t)
    return {}


def poison_(t):
    if t.is_floating_point():
        t.fill_(float("nan"))
    elif t.dtype == torch.bool:
        t.fill_(True)
    else:
        t.fill_(-7)


def upcast_(t, upcast):
    """The reference's float64 run (the precision probe): floating inputs in float64."""
    if upcast and isinstance(t, torch.Tensor) and t.is_floating_point():
        return t.double()
    return t


def call_cuda(fn, calls, upcast=False):
    """One timed window on the GPU for `calls` (one request; hot mode: a batch run back to back):
    copies in and poison (harness window, then the SM clock probe), the candidate once per call
    in call window n, copies back (harness window), trace flushed before the reply. Every call
    has its own fresh GPU inputs and poisoned outputs, and every output goes back."""
    host_in = [[view(d) for d in c["inputs"]] for c in calls]
    host_out = [[view(d) for d in c["outputs"]] for c in calls]
    dev_in, dev_out = [], []
    rets = [None] * len(calls)
    n_in, n_out = len(host_in[0]), len(host_out[0])
    dps = is_dps(fn, n_in, n_out)
    bound = []

    def prep():
        for ins, outs in zip(host_in, host_out):
            dev_in.append([upcast_(h.to("cuda", non_blocking=False), upcast)
                           if isinstance(h, torch.Tensor) else h for h in ins])
            dev_out.append([torch.empty(h.shape, dtype=h.dtype, device="cuda") for h in outs])
            for o in dev_out[-1]:
                poison_(o)
        lap("copy-in-poison")
        run_and_bind = _PREBOUND.get(id(fn))
        if dps and run_and_bind and run_and_bind[0] is fn:  # a CUDA library: marshalled here
            bound.extend(run_and_bind[1](*dev_in[i], *dev_out[i]) for i in range(len(calls)))
        if CONFIG.get("cold", True):
            GPU.cold()
        lap("flush-l2")
        GPU.clock()
        lap("clock-probe")

    def run():
        for i in range(len(calls)):
            if bound:
                bound[i]()
            elif dps:
                fn(*dev_in[i], *dev_out[i])
            else:
                ret = fn(*dev_in[i])
                rets[i] = list(ret) if isinstance(ret, (tuple, list)) else [ret]

    # Copies go straight from the GPU into the arena (page-locked at setup: one DMA each).
    def back_one(i):
        if rets[i] is None:
            for d, o in zip(dev_out[i], host_out[i]):
                o.copy_(d)
            return None
        if len(rets[i]) != len(host_out[i]):
            return {"error": "returned %d outputs, expected %d" % (len(rets[i]), len(host_out[i])),
                    "check": "output-schema"}
        for r, o in zip(rets[i], host_out[i]):
            bad = output_type_error(r)
            if bad:
                return bad
            if upcast and r.dtype != o.dtype and r.is_floating_point():
                r = r.to(o.dtype)
            if list(r.shape) != list(o.shape) or r.dtype != o.dtype:
                return {"error": "output has shape %s dtype %s, expected %s %s" % (
                    list(r.shape), NAMES.get(r.dtype, str(r.dtype)), list(o.shape),
                    NAMES[o.dtype]), "check": "output-schema"}
            o.copy_(r)
        return None

    def back():
        err = None
        for i in range(len(calls)):
            e = back_one(i)
            if e and not err:
                err = dict(e, index=i)
            lap("copy-out")
            # Inputs go back too: the parent's input-mutation check sees what the GPU holds.
            for d, h in zip(dev_in[i], host_in[i]):
                if isinstance(h, torch.Tensor):
                    h.copy_(d)
            lap("copy-in-back")
        if GPU.persisting_limit() != 0:
            err = err or {"error": "persisting L2 limit left at %d bytes" % GPU.persisting_limit(),
                          "check": "persisting-l2"}
        clock = GPU.clock_reading()
        lap("l2-and-clock")
        return err, clock

    try:
        lap("views")
        GPU.window(Gpu.HARNESS, prep)
        lap("prep")
        GPU.calls += 1
        with torch.no_grad():
            GPU.window(Gpu.CALL, run, wid=GPU.calls)
        lap("run")
        err, clock = GPU.window(Gpu.HARNESS, back)
        lap("back")
    finally:
        GPU.flush_trace()  # the parent waits for this call's closing marker
        lap("flush")
    reply = err or {}
    if clock is not None:
        reply["sm_clock"] = clock
    return reply


_DPS = {}


def is_dps(fn, n_in, n_out):
    """Destination-passing style: configured, a CUDA library, a Python entry point whose last
    parameter is named like the task's last output (config dps_last_output: SOL-ExecBench's
    run_dataset.py rule), or (on the GPU) one taking exactly one parameter per input and output
    (kernels/gpu: run(x, y))."""
    if CONFIG.get("dps", False) or CONFIG.get("cuda_library"):
        return True
    if id(fn) not in _DPS:
        named = CONFIG.get("dps_last_output")
        by_name = bool(named) and last_parameter(fn) == named
        _DPS[id(fn)] = by_name or (DEVICE == "cuda" and one_parameter_each(fn, n_in, n_out))
    return _DPS[id(fn)]


def one_parameter_each(fn, n_in, n_out):
    import inspect
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    varargs = any(p.kind == p.VAR_POSITIONAL for p in params)
    return n_out > 0 and not varargs and len(positional) == n_in + n_out


def last_parameter(fn):
    """The name of fn's last positional parameter (None when there is none): SOL-ExecBench's
    run_dataset.py takes a solution.py or reference whose last parameter is named like the last
    output for destination-passing style."""
    import inspect
    try:
        params = [p for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return None
    return params[-1].name if params else None


def output_type_error(r):
    """None when `r` is a plain tensor. A tensor subclass may defer its work until it is read
    (lazy-output, a hack); anything else (None, a NumPy array, a list) is simply the wrong kind
    of output (output-schema), not a hack."""
    if type(r) is torch.Tensor:
        return None
    if isinstance(r, torch.Tensor):
        return {"error": "output is a %s, a torch.Tensor subclass, not a plain torch.Tensor"
                % type(r).__name__, "check": "lazy-output"}
    return {"error": "output is a %s, not a torch.Tensor" % type(r).__name__,
            "check": "output-schema"}


def call_cpu(fn, inputs, outputs, dps, upcast=False):
    """One invocation on the CPU; an error dict or None."""
    inputs = [upcast_(t, upcast) for t in inputs]
    if dps:
        fn(*inputs, *outputs)
        return None
    ret = fn(*inputs)
    rets = list(ret) if isinstance(ret, (tuple, list)) else [ret]
    if len(rets) != len(outputs):
        return {"error": "returned %d outputs, expected %d" % (len(rets), len(outputs)),
                "check": "output-schema"}
    for r, o in zip(rets, outputs):
        bad = output_type_error(r)
        if bad:
            return bad
        if upcast and r.dtype != o.dtype and r.is_floating_point():
            r = r.to(o.dtype)
        if list(r.shape) != list(o.shape) or r.dtype != o.dtype:
            return {"error": "output has shape %s dtype %s, expected %s %s" % (
                list(r.shape), NAMES.get(r.dtype, str(r.dtype)), list(o.shape),
                NAMES[o.dtype]), "check": "output-schema"}
        o.copy_(r)
    return None


def call(fn, req):
    """op "call": one invocation; op "batch" (hot mode): req["calls"] back to back, each with
    its own inputs and outputs in the arena."""
    calls = req["calls"] if req["op"] == "batch" else [req]
    if not calls:
        return {"error": "empty batch", "check": "exception"}
    # The trusted reference only: run in float64 (the parent's precision probe).
    upcast = bool(req.get("upcast")) and CONFIG.get("role") == "reference"
    if DEVICE == "cuda":
        return call_cuda(fn, calls, upcast)
    views = [([view(d) for d in c["inputs"]], [view(d) for d in c["outputs"]]) for c in calls]
    dps = CONFIG.get("dps", False)
    if CONFIG.get("dps_last_output"):
        dps = is_dps(fn, len(views[0][0]), len(views[0][1]))
    with torch.no_grad():
        t0 = _perf()
        for i, (inputs, outputs) in enumerate(views):
            err = call_cpu(fn, inputs, outputs, dps, upcast)
            if err:
                return dict(err, index=i)
        t1 = _perf()
    return {"t_ns": t1 - t0}


PROFILE = None  # REFEREE_WORKER_PROFILE: (cProfile.Profile, path)
SEGMENTS = None  # REFEREE_WORKER_PROFILE: {step: [seconds, ...]} of each request
_LAST = [0]


def lap(step):
    """Under REFEREE_WORKER_PROFILE, the seconds since the previous lap, recorded as `step`."""
    if SEGMENTS is None:
        return
    now = _perf()
    SEGMENTS.setdefault(step, []).append((now - _LAST[0]) * 1e-9)
    _LAST[0] = now


def profiled(run):
    """REFEREE_WORKER_PROFILE=PREFIX (a diagnostic): cProfile of the whole worker, written to
    PREFIX.<role>.<pid> before it replies to "exit" (the parent may kill it right after)."""
    global PROFILE, SEGMENTS
    prefix = os.environ.get("REFEREE_WORKER_PROFILE")
    if not prefix:
        return run()
    SEGMENTS = {}
    import cProfile
    PROFILE = (cProfile.Profile(), "%s.%s.%d" % (prefix, CONFIG.get("role", "worker"), os.getpid()))
    return PROFILE[0].runcall(run)


def dump_profile():
    if PROFILE is not None:
        PROFILE[0].disable()
        PROFILE[0].dump_stats(PROFILE[1])
        with open(PROFILE[1] + ".segments.json", "w") as f:
            json.dump(SEGMENTS, f)


def environment():
    """What the trusted reference worker reports of the software it runs on (report schema 2's
    `environment`); the candidate's worker is never asked: its answer would be untrusted."""
    env = {"python": sys.version.split()[0], "torch": torch.__version__,
           "cuda_runtime": torch.version.cuda}
    try:
        from importlib import metadata
        env["triton"] = metadata.version("triton")
    except Exception:  # noqa: BLE001 - not installed
        env["triton"] = None
    if DEVICE == "cuda":
        props = torch.cuda.get_device_properties(0)
        env["gpu_name"] = props.name
        env["gpu_memory_bytes"] = props.total_memory
        env["gpu_sm_count"] = props.multi_processor_count
    return env


def main():
    global GPU
    try:
        if DEVICE == "cuda":
            GPU = Gpu()
            GPU.window(Gpu.HARNESS, GPU.setup)
            fn, problem = GPU.window(Gpu.SETUP, make_callable)
        else:
            fn, problem = make_callable()
    except BaseException as e:  # noqa: BLE001 - any failure to load is the candidate's
        send({"seq": 0, "ok": False, "error": "load failed: %s: %s" % (type(e).__name__, e)})
        traceback.print_exc()
        return 1
    hello = {"seq": 0, "ok": True, "pid": os.getpid()}
    if CONFIG.get("role") == "reference":
        hello["env"] = environment()
    send(hello)
    while True:
        lap("reply")
        data = CHAN.recv(MAX_RECORD)
        lap("wait")
        if not data:
            return 0
        req = json.loads(data)
        seq, op = req["seq"], req["op"]
        if op == "exit":
            if GPU is not None:
                GPU.finish_trace()
            dump_profile()
            send({"seq": seq, "ok": True})
            return 0
        if op == "noop":
            send({"seq": seq, "ok": True})
            continue
        try:
            if isinstance(fn, str):  # a CUDA library: bind once the input count is known
                first = req["calls"][0] if req.get("calls") else req
                fn = load_cuda_library(fn, len(first.get("inputs", [])))
            if op == "describe":
                reply = describe(problem, fn)
            elif op == "generate":
                reply = generate(req)
            else:
                reply = call(fn, req)
        except BaseException as e:  # noqa: BLE001
            traceback.print_exc()
            reply = {"error": "%s: %s" % (type(e).__name__, str(e)[:500]), "check": "exception"}
        reply.update({"seq": seq, "ok": "error" not in reply, "timer_ok": timers_intact()})
        send(reply)


if __name__ == "__main__":
    sys.stdout.flush()
    os._exit(profiled(main))
