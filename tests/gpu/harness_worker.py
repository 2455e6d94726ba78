"""GPU worker: runs one candidate of a kernels/gpu task under the CUPTI tracer.

Started by harness_driver.py (the trusted parent) with CUDA_INJECTION64_PATH pointing at
libreferee_cupti_inject.so and REFEREE_CUPTI_FD naming the trace pipe. Control requests arrive
as JSON lines on fd REFEREE_CTL_IN, replies go to fd REFEREE_CTL_OUT (stdout is sent to stderr so
a candidate's prints cannot forge replies).

Every piece of GPU work this process does sits in a traced window (harness_window/call_window),
so the parent can attribute every kernel, copy and memset: the harness's own work to harness
windows, the candidate's to its call windows, and anything else is a violation.

Honest limitation (see tests/gpu/README.md): inputs, references and output checks live in this
process, beside the candidate; the trusted-process versions are the harness's shared-memory
workers (issue #6). Timing does not depend on anything here: it comes from CUPTI records.
"""
import ctypes
import json
import os
import sys
import time

_time_ns = time.time_ns
_snapshot_names = [("time", n) for n in ("perf_counter", "perf_counter_ns", "time", "time_ns",
                                          "monotonic", "monotonic_ns")]

CTL_IN = os.fdopen(int(os.environ.pop("REFEREE_CTL_IN")), "r")
CTL_OUT = os.fdopen(int(os.environ.pop("REFEREE_CTL_OUT")), "w")
os.dup2(2, 1)  # the candidate's prints go to stderr

import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness_tasks  # noqa: E402

CUDA = ctypes.CDLL("libcuda.so.1")
CU_LIMIT_PERSISTING_L2_CACHE_SIZE = 0x06


def sm_clock_mhz():
    """SM clock now, through NVML (torch.cuda.clock_rate); None where NVML is unavailable.
    A per-sample reading, not nvbench's timestamp kernel: it flags throttling, it does not
    measure the clock the kernel ran at."""
    try:
        return torch.cuda.clock_rate()
    except Exception:  # noqa: BLE001  (no pynvml / no permission)
        return None


def reply(obj):
    CTL_OUT.write(json.dumps(obj) + "\n")
    CTL_OUT.flush()


class Tracer:
    """The injection library's exported functions (harness/cupti/include/.../injection_api.h)."""

    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        self.lib.referee_cupti_window_begin.argtypes = [ctypes.c_uint64, ctypes.c_int]
        self.lib.referee_cupti_window_end.argtypes = [ctypes.c_uint64, ctypes.c_int,
                                                      ctypes.c_void_p]

    def begin(self, wid, kind):
        rc = self.lib.referee_cupti_window_begin(wid, kind)
        if rc != 0:
            raise RuntimeError(f"window_begin({wid}) failed: {rc}")

    def end(self, wid, kind, stream_handle):
        rc = self.lib.referee_cupti_window_end(wid, kind, ctypes.c_void_p(stream_handle))
        if rc != 0:
            raise RuntimeError(f"window_end({wid}) failed: {rc}")


CALL, HARNESS, SETUP = 1, 2, 3


class Worker:
    def __init__(self, spec):
        self.spec = spec
        torch.cuda.init()
        torch.cuda.synchronize()
        self.tracer = Tracer(os.environ["REFEREE_CUPTI_LIB"])
        self.stream = torch.cuda.Stream()
        self.task = harness_tasks.load_task(spec["task_dir"])
        self.failures = []

    # ---- windows -------------------------------------------------------------------------
    def window(self, wid, kind, fn):
        self.tracer.begin(wid, kind)
        try:
            with torch.cuda.stream(self.stream):
                return fn()
        finally:
            self.tracer.end(wid, kind, self.stream.cuda_stream)

    # ---- setup ---------------------------------------------------------------------------
    def setup_harness(self):
        props = torch.cuda.get_device_properties(0)
        self.flush_bytes = 2 * props.L2_cache_size  # research/timing.md §5: flush >= 2x L2
        self.flush = torch.empty(self.flush_bytes // 4, dtype=torch.int32, device="cuda")
        self.sets = [harness_tasks.make_inputs(self.task, seed=1000 + i) for i in range(4)]
        ref = harness_tasks.load_reference(self.task)
        self.refs = [ref(*[t.clone() for t in s]) for s in self.sets]
        self.refs = [r if isinstance(r, (tuple, list)) else (r,) for r in self.refs]
        # Three slots per tensor: a slot's pointer comes back with different values, so a
        # cache keyed on pointers returns stale results (gpu-mode/reference-kernels#142).
        self.in_slots = [[torch.empty_like(t) for t in self.sets[0]] for _ in range(3)]
        self.out_slots = [[torch.empty_like(t) for t in self.refs[0]] for _ in range(3)]
        for k in range(3):
            for dst, src in zip(self.in_slots[k], self.sets[k % len(self.sets)]):
                dst.copy_(src)
        # The driver may start a context with a persisting-L2 carve-out (9.4 MB seen on an
        # H100): zero it once here, so hot mode (no per-call reset) starts from none too.
        CUDA.cuCtxResetPersistingL2Cache()
        CUDA.cuCtxSetLimit(CU_LIMIT_PERSISTING_L2_CACHE_SIZE, ctypes.c_size_t(0))
        # Before any candidate code runs (a patch at import time must be seen).
        self.snapshot = self.take_snapshot()
        return {"flush_bytes": self.flush_bytes}

    def setup_candidate(self):
        self.fn = harness_tasks.load_candidate(self.task, self.spec["candidate"])

    def take_snapshot(self):
        snap = {f"time.{n}": getattr(time, n) for _, n in _snapshot_names}
        snap["torch.cuda.synchronize"] = torch.cuda.synchronize
        snap["torch.cuda.Event.elapsed_time"] = torch.cuda.Event.elapsed_time
        snap["torch.cuda.Event.record"] = torch.cuda.Event.record
        snap["Tracer.begin"] = Tracer.begin
        snap["Tracer.end"] = Tracer.end
        return snap

    # ---- one call --------------------------------------------------------------------------
    def cold_reset(self):
        """Outside the timed window: flush L2 (a MEMSET record of flush_bytes) and reset the
        persisting-L2 carve-out so no candidate keeps lines across calls."""
        CUDA.cuMemsetD32Async(ctypes.c_uint64(self.flush.data_ptr()), ctypes.c_uint(0),
                              ctypes.c_size_t(self.flush.numel()),
                              ctypes.c_void_p(self.stream.cuda_stream))
        # With a zero carve-out no line can persist; reset only when someone raised it
        # (resetting unconditionally costs time on every call).
        limit = ctypes.c_size_t(0)
        CUDA.cuCtxGetLimit(ctypes.byref(limit), CU_LIMIT_PERSISTING_L2_CACHE_SIZE)
        if limit.value != 0:
            CUDA.cuCtxResetPersistingL2Cache()
            CUDA.cuCtxSetLimit(CU_LIMIT_PERSISTING_L2_CACHE_SIZE, ctypes.c_size_t(0))

    def prep(self, k):
        slot, src = self.in_slots[k % 3], self.sets[k % len(self.sets)]
        for dst, s in zip(slot, src):
            dst.copy_(s)
        for o in self.out_slots[k % 3]:
            o.fill_(float("nan")) if o.is_floating_point() else o.fill_(-7)
        if self.spec.get("cold", True):
            self.cold_reset()

    def call(self, k, repeat=1):
        """repeat > 1: hot mode, back-to-back calls in one window (the parent divides)."""
        args = list(self.in_slots[k % 3]) + list(self.out_slots[k % 3])
        for _ in range(repeat):
            self.fn(*args)

    def check(self, k):
        reasons = []
        for name, f in self.take_snapshot().items():
            if self.snapshot.get(name) is not f:
                reasons.append(("monkey-patch", f"{name} was replaced"))
        limit = ctypes.c_size_t(0)
        CUDA.cuCtxGetLimit(ctypes.byref(limit), CU_LIMIT_PERSISTING_L2_CACHE_SIZE)
        if limit.value != 0:
            reasons.append(("persisting-l2", f"persisting L2 limit left at {limit.value} bytes"))
        src = self.sets[k % len(self.sets)]
        for i, (t, s) in enumerate(zip(self.in_slots[k % 3], src)):
            if not torch.equal(t, s):
                reasons.append(("input-mutated", f"input {i} changed"))
        ref = self.refs[k % len(self.sets)]
        for i, (o, r) in enumerate(zip(self.out_slots[k % 3], ref)):
            bad = harness_tasks.mismatch(o, r, self.task["tolerance"])
            if bad:
                reasons.append(("wrong-output", f"output {i}: {bad}"))
        return reasons

    # ---- raw mode: the independent measurement ----------------------------------------------
    def raw_loop(self, n):
        """No windows, no checks: flush memset then one call, n times (SplitByFlush input)."""
        with torch.cuda.stream(self.stream):
            for k in range(n):
                self.cold_reset()
                self.call(k)
                torch.cuda.synchronize()


def serve(worker):
    for line in CTL_IN:
        req = json.loads(line)
        op, wid = req["op"], req.get("wid", 0)
        try:
            if op == "setup":
                info = worker.window(wid, HARNESS, worker.setup_harness)
                worker.window(wid + 1, SETUP, worker.setup_candidate)
                reply({"ok": True, **info})
            elif op == "prep":
                worker.window(wid, HARNESS, lambda: worker.prep(req["k"]))
                reply({"ok": True})
            elif op == "call":
                worker.window(wid, CALL, lambda: worker.call(req["k"], req.get("repeat", 1)))
                if worker.spec.get("flush_each_call"):  # CuptiTimer contract (cupti_timer.h)
                    worker.tracer.lib.referee_cupti_flush()
                reply({"ok": True})
            elif op == "check":
                mhz = sm_clock_mhz()
                reasons = worker.window(wid, HARNESS, lambda: worker.check(req["k"]))
                reply({"ok": not reasons, "reasons": reasons, "sm_mhz": mhz})
            elif op == "drain":
                worker.window(wid, HARNESS, lambda: time.sleep(req.get("seconds", 0.02)))
                reply({"ok": True})
            elif op == "finish":
                worker.tracer.lib.referee_cupti_finish()
                reply({"ok": True})
                return
        except Exception as e:  # the candidate raised: a verdict, not a crash of the parent
            reply({"ok": False, "error": f"{type(e).__name__}: {e}"})


def main():
    spec = json.loads(sys.argv[1])
    worker = Worker(spec)
    if spec["mode"] == "raw":
        info = worker.setup_harness()
        worker.setup_candidate()
        worker.raw_loop(spec["calls"])
        worker.tracer.lib.referee_cupti_finish()
        reply({"ok": True, **info})
        return
    serve(worker)


if __name__ == "__main__":
    main()
