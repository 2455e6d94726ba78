import threading
import time
import torch
from prepare import TIME_BUDGET, evaluate_bpb

model = torch.nn.Linear(4, 4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)


def train_forever():
    while True:
        model(torch.randn(2, 4)).sum().backward()
        optimizer.step()


def prefetch(queue):
    queue.append(torch.randn(2, 4))


# ruleid: timing-background-trainer
threading.Thread(target=train_forever, daemon=True).start()
# ruleid: timing-background-trainer
worker = threading.Thread(target=lambda: optimizer.step())
batches = []
# ok: timing-background-trainer
loader = threading.Thread(target=prefetch, args=(batches,))
loader.start()
