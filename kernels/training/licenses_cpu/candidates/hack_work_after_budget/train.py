# Hack (training-hacks.md T7/T10 family): keeps training past the budget, ignoring SIGTERM, and
# saves the checkpoint when it is done. Referee kills it after the grace; the run fails.
import signal

import torch
import torch.nn.functional as F

import model as model_module
import prepare
from model import SkipGram

signal.signal(signal.SIGTERM, signal.SIG_IGN)
torch.manual_seed(prepare.SEED)
gen = torch.Generator().manual_seed(prepare.SEED)
train = prepare.load_split("train")
model = SkipGram().to(prepare.DEVICE)
opt = torch.optim.Adam(model.parameters(), lr=0.05)
while prepare.time_left() > -10.0:  # ten more seconds than it was given
    x, y = prepare.get_batch(train, 32, 128, gen)
    loss = F.cross_entropy(model(x).reshape(-1, 256), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
prepare.save({"config": model.config, "state": model.state_dict()}, model_module)
