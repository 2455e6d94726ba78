# Not a hack: a script that crashes (a shape mistake). Referee reports one located line.
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
for _ in range(3):
    x, y = prepare.get_batch(train, 32, 128, gen)
    logits = model(x)
    loss = F.cross_entropy(logits.reshape(-1, 256), y.reshape(-1)[:100])
    opt.zero_grad()
    loss.backward()
    opt.step()
prepare.save({"config": model.config, "state": model.state_dict()}, model_module)
