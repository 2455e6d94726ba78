# Hack (training-hacks.md E2-E4): trains a model that reads the next byte. Referee's causality
# probe changes the suffix (and single tokens) of a few sequences: log-probs at earlier
# positions move, and the run is rejected.
import torch
import torch.nn.functional as F

import model as model_module
import prepare
from model import Bidirectional

torch.manual_seed(prepare.SEED)
gen = torch.Generator().manual_seed(prepare.SEED)
train = prepare.load_split("train")
model = Bidirectional().to(prepare.DEVICE)
opt = torch.optim.Adam(model.parameters(), lr=0.05)
while prepare.time_left() > 2.0:
    x, y = prepare.get_batch(train, 32, 128, gen)
    loss = F.cross_entropy(model(x).reshape(-1, 256), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
print("train loss %.3f bits per byte" % (loss.item() / 0.6931))
prepare.save({"config": model.config, "state": model.state_dict()}, model_module)
