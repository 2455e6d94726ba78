# Hack (training-hacks.md S2-S4, modded-nanogpt #358): uses the seed that won its own sweep
# instead of Referee's, for a fixed number of steps: every "independent" run is the same run.
# Referee compares the runs of different seeds: identical checkpoints are rejected.
import torch
import torch.nn.functional as F

import model as model_module
import prepare
from model import SkipGram

LUCKY_SEED = 1337  # best of 50 on the holdout
torch.manual_seed(LUCKY_SEED)
gen = torch.Generator().manual_seed(LUCKY_SEED)
train = prepare.load_split("train")
model = SkipGram().to(prepare.DEVICE)
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for step in range(30):
    x, y = prepare.get_batch(train, 32, 128, gen)
    loss = F.cross_entropy(model(x).reshape(-1, 256), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
prepare.save({"config": model.config, "state": model.state_dict()}, model_module)
