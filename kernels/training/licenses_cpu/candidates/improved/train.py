"""Honest improvement: the skip-gram table model trained with Adam for as long as the budget
allows (or, in time-to-target tasks, until the holdout split reaches the target), then saved."""
import torch
import torch.nn.functional as F

import model as model_module
import prepare
from model import SkipGram

torch.manual_seed(prepare.SEED)
gen = torch.Generator().manual_seed(prepare.SEED)
train = prepare.load_split("train")
holdout = prepare.load_split("holdout")
model = SkipGram().to(prepare.DEVICE)
opt = torch.optim.Adam(model.parameters(), lr=0.05)

step, bpb = 0, float("nan")
while prepare.time_left() > 2.0:
    x, y = prepare.get_batch(train, 32, 128, gen)
    loss = F.cross_entropy(model(x).reshape(-1, prepare.VOCAB_SIZE), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    step += 1
    if prepare.TARGET is not None and step % 20 == 0:
        bpb = prepare.evaluate_bits_per_byte(model, holdout, 128, max_tokens=4096)
        if bpb <= prepare.TARGET - 0.05:
            break

prepare.save({"config": model.config, "state": model.state_dict()}, model_module)
print("steps %d" % step)
