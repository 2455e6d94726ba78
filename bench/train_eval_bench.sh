#!/usr/bin/env bash
# Referee's overhead per seed of a training evaluation (issue 13): the wall of each seed as
# Referee sees it, minus the budget, and minus the script's own run (phase 2 + sandbox start-up
# + teardown). Target: phase 2 + start-up <= 10% of the budget.
#   bench/train_eval_bench.sh [--referee BIN] [--task DIR|FILE] [--candidate DIR] [--seeds N]
#                             [--device cpu|cuda]
# Defaults: build/cli/referee, the CPU task kernels/training/licenses_cpu with its honest
# improvement, 3 seeds. On the GPU: --task kernels/training/gpt_bytes
# --candidate kernels/training/gpt_bytes/candidates/gpt --device cuda (tests/gpu/train_eval.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
REFEREE=build/cli/referee
TASK=kernels/training/licenses_cpu
CANDIDATE=kernels/training/licenses_cpu/candidates/improved
SEEDS=3
DEVICE=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --referee) REFEREE=$2; shift 2 ;;
    --task) TASK=$2; shift 2 ;;
    --candidate) CANDIDATE=$2; shift 2 ;;
    --seeds) SEEDS=$2; shift 2 ;;
    --device) DEVICE=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
ARGS=(--task "$TASK" --candidate "$CANDIDATE" --seeds "$SEEDS" --audit off --format json)
[[ -n $DEVICE ]] && ARGS+=(--device "$DEVICE")
REPORT=$(mktemp /tmp/referee-train-bench-XXXXXX.json)
START=$(date +%s.%N)
"$REFEREE" train-eval "${ARGS[@]}" --output "$REPORT" || true
END=$(date +%s.%N)
python3 - "$REPORT" "$START" "$END" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
total = float(sys.argv[3]) - float(sys.argv[2])
budget = r["task"]["budget_s"]
print("train-eval bench: task %s, candidate %s, device %s, budget %gs, verdict %s" % (
    r["task"]["name"], r["candidate"], r["device"], budget, r["verdict"]))
print("%-5s %9s %9s %9s %9s %9s %11s %9s" % ("seed", "train_s", "phase2_s", "load_s", "score_s",
                                             "wall_s", "wall-budget", "outside%"))
walls = 0.0
for s in r["seeds"]:
    outside = s["wall_s"] - s["train_wall_s"]
    walls += s["wall_s"]
    print("%-5d %9.2f %9.2f %9.3f %9.3f %9.2f %11.2f %8.1f%%" % (
        s["index"], s["train_wall_s"], s["eval_wall_s"], s["load_s"], s["scoring_s"],
        s["wall_s"], s["wall_s"] - budget, 100 * outside / budget))
n = len(r["seeds"])
if n:
    mean_outside = sum(s["wall_s"] - s["train_wall_s"] for s in r["seeds"]) / n
    print("mean: phase 2 + start-up %.2fs per seed = %.1f%% of the budget (target <= 10%%); "
          "once per evaluation (staging, workspace, report) %.2fs" % (
              mean_outside, 100 * mean_outside / budget, total - walls))
    print("metric %s: mean %.4f, 95%% CI [%.4f, %.4f]" % (
        r["task"]["metric"], r["aggregate"]["metric"]["mean"],
        r["aggregate"]["metric"]["ci95_low"], r["aggregate"]["metric"]["ci95_high"]))
PY
rm -f "$REPORT"
