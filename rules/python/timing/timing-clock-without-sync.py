import time

import torch
from prepare import TIME_BUDGET

model = torch.nn.Linear(4, 4).cuda()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(8, 4, device="cuda")


def step():
    loss = model(x).sum()
    loss.backward()
    optimizer.step()
    return loss


# The autoresearch loop: synchronize before the stop read.
total_training_time = 0.0
while True:
    torch.cuda.synchronize()
    # ok: timing-clock-without-sync
    t0 = time.time()
    loss = step()
    torch.cuda.synchronize()
    # ok: timing-clock-without-sync
    t1 = time.time()
    dt = t1 - t0
    total_training_time += dt
    if total_training_time >= TIME_BUDGET:
        break

# The hack: the sync before the stop read is gone.
total = 0.0
for _ in range(100):
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    loss = step()
    # ruleid: timing-clock-without-sync
    t1 = time.perf_counter()
    total += t1 - t0

# Accumulated directly, after work queued in the loop body.
training_time_ms = 0
t0 = time.perf_counter()
for i in range(10):
    step()
    # ruleid: timing-clock-without-sync
    training_time_ms += 1000 * (time.perf_counter() - t0)
    t0 = time.perf_counter()

# modded-nanogpt: barrier or synchronize before stopping, only arithmetic in between; a stop read
# inside an `if` looks before the `if`.
training_time_ms = 0
torch.cuda.synchronize()
t0 = time.perf_counter()
for i in range(10):
    last_step = i == 9
    if last_step or i % 5 == 0:
        # stop the clock
        torch.cuda.synchronize()
        # ok: timing-clock-without-sync
        training_time_ms += 1000 * (time.perf_counter() - t0)
        torch.cuda.synchronize()
        t0 = time.perf_counter()
    step()
    torch.cuda.synchronize()
    elapsed = 1
    if i % 2 == 0:
        # ok: timing-clock-without-sync
        training_time_ms += 1000 * (time.perf_counter() - t0)
        t0 = time.perf_counter()
    # ok: timing-clock-without-sync
    approx_training_time_ms = training_time_ms + 1000 * (time.perf_counter() - t0)

# A host sync (.item()) before the stop read also waits for the device.
total = 0.0
for _ in range(10):
    t0 = time.time()
    loss = step()
    loss_value = loss.item()
    # ok: timing-clock-without-sync
    t1 = time.time()
    total += t1 - t0

# A stop read at the top of a loop body: the previous iteration's work is still queued.
total = 0.0
t0 = time.time()
for _ in range(10):
    # ruleid: timing-clock-without-sync
    total += time.time() - t0
    t0 = time.time()
    step()
