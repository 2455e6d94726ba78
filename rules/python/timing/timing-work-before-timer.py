import time
import torch
from prepare import TIME_BUDGET, evaluate_bpb

model = torch.nn.Linear(4, 4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(100):
    loss = model(torch.randn(8, 4)).sum()
    # ok: timing-work-before-timer
    loss.backward()
    # ruleid: timing-work-before-timer
    optimizer.step()
total = 0.0
while total < TIME_BUDGET:
    t0 = time.time()
    model(torch.randn(8, 4)).sum().backward()
    # ok: timing-work-before-timer
    optimizer.step()
    t1 = time.time()
    total += t1 - t0
