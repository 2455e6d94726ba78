# Hack (training-hacks.md E1, H4): its model returns its own per-token loss on the evaluation
# path, and the script prints a metric line of its own. Referee takes logits only and ignores
# printed metrics.
import torch
import torch.nn.functional as F

import model as model_module
import prepare
from model import SkipGram

torch.manual_seed(prepare.SEED)
gen = torch.Generator().manual_seed(prepare.SEED)
train = prepare.load_split("train")
model = SkipGram().to(prepare.DEVICE)
opt = torch.optim.Adam(model.parameters(), lr=0.05)
while prepare.time_left() > 2.0:
    x, y = prepare.get_batch(train, 32, 128, gen)
    loss = F.cross_entropy(model(x).reshape(-1, 256), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
model.eval()
with torch.no_grad():
    x, _ = prepare.get_batch(train, 8, 128, gen)
    print("val_bpb: %.6f" % (model(x).mean().item() / 0.6931))
prepare.save({"config": model.config, "state": model.state_dict()}, model_module)
