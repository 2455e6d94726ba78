import time
from prepare import TIME_BUDGET, evaluate_bpb

total = 0.0
step = 0
while True:
    step += 1
    total += 1.0
    # ruleid: timing-budget-check-loosened
    if step > 10 and total >= TIME_BUDGET * 3:
        break
    # ruleid: timing-budget-check-loosened
    if total > 600 + TIME_BUDGET:
        break
    # ok: timing-budget-check-loosened
    if step > 10 and total >= TIME_BUDGET:
        break
    # ok: timing-budget-check-loosened
    progress = min(total / TIME_BUDGET, 1.0)
