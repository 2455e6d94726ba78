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


def timed_training(net, opt, batches, steps):
    # The function returns the elapsed time its caller reports as the training time.
    for x in batches[:50]:
        net(x).sum().backward()
        # ruleid: timing-work-before-timer
        opt.step()
    start = time.perf_counter()
    for _ in range(steps):
        net(batches[0]).sum().backward()
        opt.step()
    return time.perf_counter() - start


def timed_training_restored(net, opt, batches, steps):
    saved = (net.state_dict(), opt.state_dict())
    for x in batches[:50]:
        net(x).sum().backward()
        # ok: timing-work-before-timer
        opt.step()
    net.load_state_dict(saved[0])
    opt.load_state_dict(saved[1])
    start = time.perf_counter()
    for _ in range(steps):
        net(batches[0]).sum().backward()
        opt.step()
    elapsed = time.perf_counter() - start
    return elapsed


def logged_only(net, opt, x):
    # ok: timing-work-before-timer
    opt.step()
    start = time.perf_counter()
    net(x)
    print("forward took", time.perf_counter() - start)
