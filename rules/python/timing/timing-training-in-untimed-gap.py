import time
import torch
from prepare import TIME_BUDGET, evaluate_bpb

model = torch.nn.Linear(4, 4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
total_training_time = 0.0
step = 0
while True:
    torch.cuda.synchronize()
    t0 = time.time()
    loss = model(torch.randn(8, 4)).sum()
    # ok: timing-training-in-untimed-gap
    loss.backward()
    # ok: timing-training-in-untimed-gap
    optimizer.step()
    torch.cuda.synchronize()
    t1 = time.time()
    dt = t1 - t0
    total_training_time += dt
    extra = model(torch.randn(8, 4)).sum()
    # ruleid: timing-training-in-untimed-gap
    extra.backward()
    # ruleid: timing-training-in-untimed-gap
    optimizer.step()
    step += 1
    if total_training_time >= TIME_BUDGET:
        break
