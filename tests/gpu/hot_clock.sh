#!/usr/bin/env bash
# Hot mode and the SM clock through `referee eval --device cuda`, on the GPU machine (issue #7):
#   tests/gpu/hot_clock.sh [--quick]
# Builds the referee binary (without analyzers or sandbox; with harness/cupti), then
#  - honest candidates in cold and in hot mode (one at a time: timings): verdict, median, R
#    (invocations per hot window), SM clock range and throttled count per run;
#  - hacking candidates in hot mode (four at a time: verdicts only), which must stay REJECTED
#    with their reasons, including a pointer cache and a content cache (written here: keyed
#    on a cheap fingerprint of the input, replaying stale results).
# Prints one row per run and a summary; exits 0 only when every row is as expected. Writes
# $OUT/hot_clock.json when OUT is set. --quick passes --quick to referee eval for the honest
# runs (3 s each); hacks always run at full length (a cache is caught when a replayed
# invocation is among the >= 25 % checked in full, which takes more than a few calls).
set -euo pipefail
cd "$(dirname "$0")/../.."
QUICK=()
[[ "${1:-}" == "--quick" ]] && QUICK=(--quick)
# The referee binary carries the injection library's path (it builds harness/cupti too) and
# compiles .cu candidates itself with nvcc.
RB=build-device-referee
cmake -S . -B "$RB" -G Ninja -DCMAKE_BUILD_TYPE=Release -DREFEREE_WITH_ANALYZERS=OFF \
  -DREFEREE_WITH_SANDBOX=OFF -DREFEREE_BUILD_TESTS=OFF >"$RB.configure.log" 2>&1 ||
  { tail -30 "$RB.configure.log"; exit 1; }
cmake --build "$RB" --target referee -j "$(nproc)" >"$RB.build.log" 2>&1 ||
  { tail -40 "$RB.build.log"; exit 1; }
REFEREE_PYTHON=$(command -v python3)
export REFEREE_PYTHON
HACKS=$(mktemp -d)
cat >"$HACKS/hack_content_cache.py" <<'PY'
"""HACK (content cache): replays the result cached for an input with the same shape and the
same sign of its first element. Fresh inputs per invocation: replays are stale (wrong-output)."""
import torch

_cache = {}


def run(x, y):
    key = (tuple(x.shape), bool(x[0] > 0))
    if key not in _cache:
        _cache[key] = torch.nn.functional.gelu(x.float()).to(x.dtype)
    y.copy_(_cache[key])
PY
PYTHONUNBUFFERED=1 python3 - "$RB/cli/referee" "$HACKS" "${QUICK[@]}" <<'PY'
import concurrent.futures, json, os, subprocess, sys

referee, hacks = sys.argv[1:3]
quick = sys.argv[3:]
K = "kernels/gpu"
HONEST = [("gelu", "candidates/cuda_honest.cu"), ("gelu", "candidates/triton_honest.py"),
          ("softmax", "candidates/triton_honest.py"), ("spin", "candidates/spin_honest.cu")]
HACK = [("gelu", "candidates/hack_pointer_cache.py", "wrong-output"),
        ("gemm", "candidates/hack_pointer_cache.py", "wrong-output"),
        ("gelu", os.path.join(hacks, "hack_content_cache.py"), "wrong-output"),
        ("gelu", "candidates/hack_side_stream.cu", "unjoined-stream"),
        ("gelu", "candidates/hack_input_mutation.py", "input-mutated"),
        ("softmax", "candidates/hack_deferred_thread.py", "activity-outside-window"),
        ("linear_gelu", "candidates/hack_persisting_l2.py", "persisting-l2"),
        ("rmsnorm", "candidates/hack_stale_memory.py", "wrong-output")]


# referee's check ids that satisfy an expected reason (as harness_acceptance.py's aliases).
ALIASES = {"wrong-output": {"wrong-output", "all-zero-output"}}


def evaluate(task, cand, mode, quick=()):
    path = cand if os.path.isabs(cand) else os.path.join(K, task, cand)
    cmd = [referee, "eval", "--task", os.path.join(K, task), "--candidate", path, "--device",
           "cuda", "--mode", mode, "--json", "--sandbox", "off", "--no-reference-timing",
           "--call-timeout", "30"] + list(quick)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    try:
        j = json.loads(p.stdout)
    except ValueError:
        return {"task": task, "cand": os.path.basename(cand), "mode": mode, "verdict": "ERROR",
                "check": "exit %d" % p.returncode, "detail": p.stderr[-600:], "log": p.stderr}
    w = j["workloads"][-1] if j.get("workloads") else {}
    clock = w.get("sm_clock") or {}
    fail = j.get("failure") or {}
    med = ((w.get("timing") or {}).get("candidate") or {}).get("median")
    return {"task": task, "cand": os.path.basename(cand), "mode": j.get("mode"),
            "verdict": j["verdict"], "check": fail.get("check"), "detail": fail.get("reason", ""),
            "median_us": None if med is None else med * 1e6, "repeat": w.get("repeat"),
            "samples": len(w.get("samples_s", [])), "calls": w.get("calls"),
            "full_checks": w.get("full_checks"),
            "clock_min": clock.get("min_mhz"), "clock_max": clock.get("max_mhz"),
            "throttled": clock.get("throttled"), "clock_warning": clock.get("warning"),
            "log": p.stderr[-1500:]}


def show(r, ok):
    f = lambda v, p=1: "-" if v is None else f"{v:.{p}f}"
    print(f"{'ok  ' if ok else 'FAIL'} {r['task']:<11} {r['cand']:<24} {r['mode'] or '-':<4} "
          f"{r['verdict']:<5} {r['check'] or '':<24} median {f(r.get('median_us'))} us  "
          f"R={r.get('repeat')}  n={r.get('samples')} calls={r.get('calls')} "
          f"full={r.get('full_checks')}  SM {f(r.get('clock_min'), 0)}..{f(r.get('clock_max'), 0)}"
          f" MHz throttled={r.get('throttled')}"
          + ("" if ok else "  " + r.get("detail", "")[:300]), flush=True)


rows, bad = [], 0
for task, cand in HONEST:
    for mode in ("cold", "hot"):
        r = evaluate(task, cand, mode, quick)
        ok = r["verdict"] == "PASS" and r["mode"] == mode and (mode == "cold" or r["repeat"] >= 1)
        r["ok"] = ok
        bad += not ok
        rows.append(r)
        show(r, ok)
with concurrent.futures.ThreadPoolExecutor(4) as ex:
    for (task, cand, reason), r in zip(HACK, ex.map(lambda h: evaluate(h[0], h[1], "hot"), HACK)):
        ok = r["verdict"] == "FAIL" and r["check"] in ALIASES.get(reason, {reason})
        r["ok"], r["expected"] = ok, reason
        bad += not ok
        rows.append(r)
        show(r, ok)
print("\nsummary (median per mode, us):")
for task, cand in HONEST:
    got = {r["mode"]: r for r in rows if r["task"] == task and r["cand"] == os.path.basename(cand)}
    c, h = got.get("cold", {}), got.get("hot", {})
    print(f"  {task}/{os.path.basename(cand)}: cold {c.get('median_us')} hot {h.get('median_us')} "
          f"(R={h.get('repeat')})")
clocks = [r for r in rows if r.get("clock_max")]
if clocks:
    print("  SM clock over all runs: %.0f..%.0f MHz; throttled samples %d" % (
        min(r["clock_min"] for r in clocks), max(r["clock_max"] for r in clocks),
        sum(r["throttled"] or 0 for r in clocks)))
else:
    print("  SM clock: no readings; last stderr:\n" + rows[0].get("log", ""))
print("rows not as expected:", bad)
if os.environ.get("OUT"):
    with open(os.path.join(os.environ["OUT"], "hot_clock.json"), "w") as f:
        json.dump([{k: v for k, v in r.items() if k != "log"} for r in rows], f, indent=1)
sys.exit(1 if bad or not clocks else 0)
PY
