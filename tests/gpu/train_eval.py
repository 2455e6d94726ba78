#!/usr/bin/env python3
"""The device half of tests/gpu/train_eval.sh (issue 13): runs `referee train-eval` on the GPU
task and checks each verdict. Usage: train_eval.py --referee BIN [--hack-budget S] [--out DIR]
honest|hacks|bench ..."""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import time

TASK = "kernels/training/gpt_bytes"
HONEST = TASK + "/candidates/gpt"
HACKS = "kernels/training/licenses_cpu/candidates"
FAILED = []


def train_eval(a, args, out_name, out_dir):
    t0 = time.monotonic()
    p = subprocess.run([a.referee, "train-eval", "--device", a.device, "--format", "json"] + args,
                       capture_output=True, text=True)
    wall = time.monotonic() - t0
    if out_dir:
        with open(os.path.join(out_dir, out_name), "w") as f:
            f.write(p.stdout)
    try:
        return json.loads(p.stdout), p, wall
    except ValueError:
        print("  not JSON (exit %d): %s" % (p.returncode, p.stderr[-2000:]))
        return None, p, wall


def honest(a):
    r, p, wall = train_eval(a, ["--task", a.task, "--candidate", HONEST, "--seeds", a.seeds],
                            "train_eval_honest.json", a.out)
    if r is None:
        FAILED.append("honest: no report")
        return
    for s in r["seeds"]:
        print("  seed %d (%d): bpb %s  train %.1fs  phase 2 %.2fs (load %.2fs, scoring %.2fs)  "
              "torch %s" % (s["index"], s["seed"], s["metric"], s["train_wall_s"],
                            s["eval_wall_s"], s["load_s"], s["scoring_s"], s["torch"]))
    m = r["aggregate"]["metric"]
    budget = r["task"].get("budget_s") or 0
    if budget:
        over = wall / len(r["seeds"]) - budget
        print("  overhead: %.1f s per seed beyond the %g s budget (%.1f %%)" %
              (over, budget, 100 * over / budget))
    print("honest GPT, %d seeds: %s, bpb mean %.4f, stdev %.4f, 95%% CI [%.4f, %.4f] "
          "(validation sha256 %s, %.0fs)" % (len(r["seeds"]), r["verdict"], m["mean"], m["stdev"], m["ci95_low"],
                                             m["ci95_high"], r["task"]["validation_sha256"][:16],
                                             wall))
    if r["verdict"] != "PASS":
        FAILED.append("honest: %s %s" % (r["verdict"], (r["failure"] or {}).get("reason")))


def expected(name):
    with open(os.path.join(os.path.dirname(HACKS), "candidates.json")) as f:
        entry = {os.path.basename(e["file"]): e for e in json.load(f)}[name]
    return entry["expect"], entry.get("reason", "").split("|"), str(entry.get("seeds", 1))


def hack(a, name):
    cand = os.path.join(HACKS, name)
    _, _, seeds = expected(name)
    return train_eval(a, ["--task", a.task, "--candidate", cand, "--seeds", seeds,
                          "--audit", "report", "--budget", str(a.hack_budget)],
                      "train_eval_%s.json" % name, a.out)


def hacks(a):
    # Each hack is its own sandboxed training on the one GPU; --jobs of them at once (each is
    # small) keep the device session short. Verdicts do not depend on the others: the budget is
    # wall-clock from outside and every check is per run.
    names = sorted(n for n in os.listdir(HACKS) if n.startswith("hack_"))
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        runs = list(pool.map(lambda n: hack(a, n), names))
    for name, (r, p, wall) in zip(names, runs):
        verdict, checks, _ = expected(name)
        failure = (r or {}).get("failure") or {}
        ok = r is not None and r["verdict"] == verdict and failure.get("check") in checks
        print("  %-28s %-8s %-20s %5.1fs  %s" % (name, r["verdict"] if r else "-",
                                                failure.get("check", ""), wall,
                                                "ok" if ok else "UNEXPECTED"))
        print("      " + failure.get("reason", p.stderr.strip()[-300:]))
        if not ok:
            FAILED.append("%s: want %s %s" % (name, verdict, checks))


def bench(a):
    subprocess.run(["bench/train_eval_bench.sh", "--referee", a.referee, "--task", a.task,
                    "--candidate", HONEST, "--seeds", "2", "--device", a.device], check=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--referee", required=True)
    ap.add_argument("--hack-budget", default="20")
    ap.add_argument("--out", default="")
    # A dry run on a CPU host: --device cpu --task kernels/training/gpt_bytes/cpu_check.json
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--task", default=TASK)
    ap.add_argument("--seeds", default="3")
    ap.add_argument("--jobs", type=int, default=1, help="hacking candidates trained at once")
    ap.add_argument("parts", nargs="+")
    a = ap.parse_args()
    for part in a.parts:
        print("== %s" % part)
        {"honest": honest, "hacks": hacks, "bench": bench}[part](a)
    print("train_eval: %s" % ("all as expected" if not FAILED else "%d unexpected" % len(FAILED)))
    for f in FAILED:
        print("UNEXPECTED:", f)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
