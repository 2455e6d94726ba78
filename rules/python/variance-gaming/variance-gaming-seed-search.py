import random
import torch
from prepare import evaluate_bpb

# ok: variance-gaming-seed-search
torch.manual_seed(42)
results = {}
for seed in range(20):
    # ruleid: variance-gaming-seed-search
    torch.manual_seed(seed)
    # ruleid: variance-gaming-seed-search
    random.seed(seed)
    model = torch.nn.Linear(4, 4)
    results[seed] = model
val_bpb = evaluate_bpb(results[0], None, 8)
