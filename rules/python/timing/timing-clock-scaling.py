import time
import torch
from prepare import TIME_BUDGET, evaluate_bpb

total_training_time = 0.0
while True:
    t0 = time.time()
    torch.randn(4).sum()
    t1 = time.time()
    dt = t1 - t0
    # ruleid: timing-clock-scaling
    total_training_time += dt * 0.5
    if total_training_time > 100:
        # ruleid: timing-clock-scaling
        total_training_time -= 30
    if total_training_time >= TIME_BUDGET:
        break

training_time_ms = 0.0
t0 = time.perf_counter()
for step in range(10):
    if step % 5 == 0:
        # ok: timing-clock-scaling
        training_time_ms += 1000 * (time.perf_counter() - t0)
        t0 = time.perf_counter()
