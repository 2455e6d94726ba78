"""Honest baseline: trains a bigram model with Adam until the holdout loss stops improving (or
the target is reached, or the budget is nearly over), then writes the checkpoint and the entry
point to the output directory."""
import torch
import torch.nn.functional as F

import model as model_module
import prepare
from model import Bigram

torch.manual_seed(prepare.SEED)
gen = torch.Generator().manual_seed(prepare.SEED)
train = prepare.load_split("train")
holdout = prepare.load_split("holdout")
model = Bigram().to(prepare.DEVICE)
opt = torch.optim.Adam(model.parameters(), lr=0.05)

best, step = float("inf"), 0
while prepare.time_left() > 2.0:
    x, y = prepare.get_batch(train, 64, 64, gen)
    loss = F.cross_entropy(model(x).reshape(-1, prepare.VOCAB_SIZE), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    step += 1
    if step % 50 == 0:
        bpb = prepare.evaluate_bits_per_byte(model, holdout, 64)
        if prepare.TARGET is not None and bpb <= prepare.TARGET - 0.05:
            break
        if bpb > best - 1e-3:
            break  # converged
        best = bpb

prepare.save({"state": model.state_dict()}, model_module)
print("steps %d holdout_bpb %.4f" % (step, best))
