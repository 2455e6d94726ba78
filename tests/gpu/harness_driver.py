"""Trusted parent for GPU evaluations: spawns harness_worker.py under the CUPTI tracer, drives it
call by call, reads the trace pipe, attributes it with referee_cupti_attribute and gives the
verdict. A stand-in for `referee eval --device cuda` until the harness (issue #6) drives GPU
workers itself; the timing authority is the same (CUPTI records + attribution library).

  python3 tests/gpu/harness_driver.py --task kernels/gpu/gelu \
      --candidate kernels/gpu/gelu/candidates/triton_honest.py \
      --lib build-gpu/libreferee_cupti_inject.so --tool build-gpu/referee_cupti_attribute

Verdict: the first reason by priority wins (trace problems, then CUPTI findings, then the
worker's checks); the median is the CUPTI span of the timed (non-warm-up) calls.
"""
import argparse
import json
import os
import select
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PRIORITY = ["trace-invalid", "worker-error", "timeout", "window-sequence",
            "activity-outside-window", "unjoined-stream", "no-gpu-activity",
            "window-outside-wall", "span-exceeds-wall", "monkey-patch", "persisting-l2",
            "input-mutated", "wrong-output"]


class WorkerProcess:
    def __init__(self, spec, lib):
        self.trace_r, trace_w = os.pipe()
        ctl_in_r, self.ctl_in_w = os.pipe()
        self.ctl_out_r, ctl_out_w = os.pipe()
        env = dict(os.environ, CUDA_INJECTION64_PATH=os.path.abspath(lib),
                   REFEREE_CUPTI_LIB=os.path.abspath(lib), REFEREE_CUPTI_FD=str(trace_w),
                   REFEREE_CTL_IN=str(ctl_in_r), REFEREE_CTL_OUT=str(ctl_out_w),
                   PYTHONUNBUFFERED="1")
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "harness_worker.py"), json.dumps(spec)],
            env=env, pass_fds=(trace_w, ctl_in_r, ctl_out_w), stdin=subprocess.DEVNULL,
            stdout=self.stderr, stderr=self.stderr)
        for fd in (trace_w, ctl_in_r, ctl_out_w):
            os.close(fd)
        self.trace = bytearray()
        self.reader = threading.Thread(target=self._read_trace, daemon=True)
        self.reader.start()
        self.buf = b""

    def _read_trace(self):
        while True:
            chunk = os.read(self.trace_r, 1 << 20)
            if not chunk:
                return
            self.trace += chunk

    def request(self, obj, timeout):
        os.write(self.ctl_in_w, (json.dumps(obj) + "\n").encode())
        return self.read_reply(timeout)

    def read_reply(self, timeout):
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.ctl_out_r], [], [], left)[0]:
                raise TimeoutError("worker did not answer in time")
            chunk = os.read(self.ctl_out_r, 65536)
            if not chunk:
                raise EOFError("worker exited")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def close(self, kill=False):
        if kill:
            self.proc.kill()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=30)
        os.close(self.ctl_in_w)
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")[-4000:]


def attribute(tool, trace, windows=None, flush_bytes=None):
    with tempfile.TemporaryDirectory() as d:
        tpath = os.path.join(d, "trace.bin")
        with open(tpath, "wb") as f:
            f.write(trace)
        args = [tool, "--trace", tpath]
        if windows is not None:
            wpath = os.path.join(d, "windows.json")
            with open(wpath, "w") as f:
                json.dump({"windows": windows}, f)
            args += ["--windows", wpath]
        else:
            args += ["--raw-flush-bytes", str(flush_bytes)]
        out = subprocess.run(args, capture_output=True, text=True)
        if out.returncode not in (0, 1):
            raise RuntimeError(f"{tool} failed: {out.stderr.strip()}")
        return json.loads(out.stdout)


class Session:
    """One evaluation: the window ids this parent opens and the wall interval of each call."""

    def __init__(self, worker):
        self.worker = worker
        self.windows = []
        self.next_id = 1
        self.op_ns = {}  # op -> parent wall ns per request

    def op(self, op, kind, timeout, **kw):
        wid = self.next_id
        self.next_id += 2 if op == "setup" else 1
        begin = time.time_ns()
        rep = self.worker.request({"op": op, "wid": wid, **kw}, timeout)
        end = time.time_ns()
        self.op_ns.setdefault(op, []).append(end - begin)
        if op == "setup":
            self.windows += [{"id": wid, "kind": "harness"}, {"id": wid + 1, "kind": "setup"}]
        else:
            w = {"id": wid, "kind": kind}
            if kind == "call":
                w.update(wall_begin_ns=begin, wall_end_ns=end, k=kw["k"])
            self.windows.append(w)
        return rep


def run_calls(session, calls, warmup, reasons, clocks, repeat):
    call_ids = []
    for k in range(warmup + calls):
        session.op("prep", "harness", 30, k=k)
        rep = session.op("call", "call", 60 if k < warmup else 30, k=k, repeat=repeat)
        call_ids.append(session.windows[-1]["id"])
        if not rep["ok"]:
            reasons.append(("worker-error", rep.get("error", ""), k))
            break
        rep = session.op("check", "harness", 60, k=k)
        if k >= warmup:
            clocks.append(rep.get("sm_mhz"))
        if not rep["ok"]:
            reasons += [(r, d, k) for r, d in rep.get("reasons", [])]
            break
    return call_ids


def evaluate(task, cand, lib, tool, calls=20, warmup=3, save_trace=None, cold=True, repeat=1):
    """cold: 2x L2 flush and persisting-L2 reset before every call, one call per window.
    hot (cold=False, repeat=R): no flush, R back-to-back calls per window, span / R."""
    spec = {"mode": "harness", "task_dir": task, "candidate": cand, "cold": cold}
    worker = WorkerProcess(spec, lib)
    session = Session(worker)
    reasons, call_ids, info, clocks = [], [], {}, []
    killed = False
    t_start = time.monotonic()
    loop_s = None
    try:
        info = session.op("setup", None, 300)
        if not info.get("ok"):
            reasons.append(("worker-error", info.get("error", "setup failed"), -1))
        else:
            t_loop = time.monotonic()
            call_ids = run_calls(session, calls, warmup, reasons, clocks, repeat)
            loop_s = time.monotonic() - t_loop
        session.op("drain", "harness", 30)  # late work of a deferred thread lands here
        session.worker.request({"op": "finish"}, 60)
    except (TimeoutError, EOFError) as e:
        reasons.append(("timeout" if isinstance(e, TimeoutError) else "worker-error", str(e), -1))
        killed = True
    log = worker.close(kill=killed)
    trace = bytes(worker.trace)
    if save_trace:
        save(save_trace, trace, session.windows)
    result = verdict(tool, trace, session.windows, call_ids, warmup, reasons, log, info, repeat)
    walls = {w["id"]: (w["wall_end_ns"] - w["wall_begin_ns"]) / 1e3
             for w in session.windows if w["kind"] == "call"}
    result["call_wall_us"] = [walls[i] for i in call_ids[warmup:] if i in walls]
    result["loop_s"] = loop_s  # prep + call + check for every call, warm-up included
    result["op_ms"] = {op: statistics.median(v) / 1e6 for op, v in session.op_ns.items()}
    result["calls"] = len(call_ids)
    result["mode"] = "cold" if cold else f"hot (back-to-back x{repeat})"
    # SM clock read right after each timed call; samples below 75% of the run's highest
    # reading are flagged as throttled (nvbench's --throttle-threshold default).
    mhz = [c for c in clocks if c]
    result["sm_clock_mhz"] = statistics.median(mhz) if mhz else None
    result["throttled_samples"] = sum(1 for c in mhz if c < 0.75 * max(mhz)) if mhz else None
    result["eval_s"] = time.monotonic() - t_start  # spawn to verdict
    return result


def save(prefix, trace, windows):
    with open(prefix + ".bin", "wb") as f:
        f.write(trace)
    with open(prefix + ".windows.json", "w") as f:
        json.dump({"windows": [{k: v for k, v in w.items() if k != "k"} for w in windows]}, f,
                  indent=1)


def verdict(tool, trace, windows, call_ids, warmup, reasons, log, info, repeat=1):
    attr = attribute(tool, trace, windows=[{k: v for k, v in w.items() if k != "k"}
                                           for w in windows])
    by_id = {w["id"]: w for w in attr.get("windows", [])}
    for f in attr.get("findings", []):
        reasons.append((f["id"], f["detail"], f.get("window", -1)))
    timed = [by_id[i] for i in call_ids[warmup:] if i in by_id]
    spans = [w["span_ns"] / 1e3 / repeat for w in timed]
    kernel = [w["kernel_ns"] / 1e3 / repeat for w in timed]
    reasons.sort(key=lambda r: PRIORITY.index(r[0]) if r[0] in PRIORITY else len(PRIORITY))
    result = {"verdict": "REJECTED" if reasons else "PASS",
              "reason": reasons[0][0] if reasons else None,
              "detail": reasons[0][1] if reasons else None,
              "all_reasons": sorted({r[0] for r in reasons}),
              "median_us": statistics.median(spans) if spans else None,
              "min_us": min(spans) if spans else None,
              "kernel_median_us": statistics.median(kernel) if kernel else None,
              "samples_us": spans, "cupti_version": attr.get("cupti_version"),
              "records": attr.get("records"), "flush_bytes": info.get("flush_bytes"),
              "streams": sorted({s for w in timed for s in w["streams"]})}
    if result["verdict"] == "REJECTED" and result["reason"] == "worker-error":
        result["log"] = log
    return result


def independent(task, cand, lib, tool, calls=30):
    """CUPTI kernel-time sum per call from a plain loop in a separate process (no windows)."""
    spec = {"mode": "raw", "task_dir": task, "candidate": cand, "calls": calls + 3}
    worker = WorkerProcess(spec, lib)
    rep = worker.read_reply(600)
    log = worker.close()
    if not rep.get("ok"):
        raise RuntimeError(f"raw run failed: {log}")
    attr = attribute(tool, bytes(worker.trace), flush_bytes=rep["flush_bytes"])
    it = attr["iterations"][3:]
    return {"kernel_median_us": statistics.median(i["kernel_ns"] / 1e3 for i in it),
            "span_median_us": statistics.median(i["span_ns"] / 1e3 for i in it),
            "iterations": len(it)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", required=True)
    ap.add_argument("--candidate", required=True)
    ap.add_argument("--so")
    ap.add_argument("--lib", required=True)
    ap.add_argument("--tool", required=True)
    ap.add_argument("--calls", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--raw", action="store_true")
    ap.add_argument("--hot", type=int, default=0, help="hot mode: N back-to-back calls a window")
    ap.add_argument("--save-trace")
    a = ap.parse_args()
    cand = {"path": a.candidate, "language": "cuda" if a.so else "python", "so": a.so}
    if a.raw:
        print(json.dumps(independent(a.task, cand, a.lib, a.tool, a.calls)))
        return 0
    r = evaluate(a.task, cand, a.lib, a.tool, a.calls, a.warmup, a.save_trace,
                 cold=not a.hot, repeat=max(1, a.hot))
    print(json.dumps(r))
    return 0 if r["verdict"] == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
