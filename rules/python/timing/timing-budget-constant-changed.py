import prepare
from prepare import TIME_BUDGET, evaluate_bpb

# ruleid: timing-budget-constant-changed
TIME_BUDGET = 3 * 300
# ruleid: timing-budget-constant-changed
prepare.TIME_BUDGET = 900
# ok: timing-budget-constant-changed
budget_left = TIME_BUDGET - 10
# ok: timing-budget-constant-changed
progress = min(1.0 / TIME_BUDGET, 1.0)
