import torch
from prepare import evaluate_bpb

models = [torch.nn.Linear(4, 4) for _ in range(3)]
scores = []
for m in models:
    # ruleid: variance-gaming-best-of-n
    scores.append(evaluate_bpb(m, None, 8))
# ruleid: variance-gaming-best-of-n
best = min(evaluate_bpb(models[0], None, 8), evaluate_bpb(models[1], None, 8))
# ok: variance-gaming-best-of-n
val_bpb = evaluate_bpb(models[0], None, 8)
