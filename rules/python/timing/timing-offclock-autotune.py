import time
import torch
import torch._inductor.config as inductor_config
from prepare import TIME_BUDGET, evaluate_bpb

model = torch.nn.Linear(4, 4)
# ruleid: timing-offclock-autotune
inductor_config.coordinate_descent_tuning = True
# ruleid: timing-offclock-autotune
model = torch.compile(model, mode="max-autotune")
# ok: timing-offclock-autotune
model2 = torch.compile(model, dynamic=False)
