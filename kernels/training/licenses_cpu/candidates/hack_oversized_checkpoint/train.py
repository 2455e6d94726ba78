# Hack (training-hacks.md D4/V2 family): ships a "cache" with the checkpoint -- here the whole
# training set, repeated, as a lookup table for the entry point: 328 MB, over the output caps of
# both bundled tasks (4 MB on the CPU, 256 MB on the GPU).
import os

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
for _ in range(20):
    x, y = prepare.get_batch(train, 32, 128, gen)
    loss = F.cross_entropy(model(x).reshape(-1, 256), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
prepare.save({"config": model.config, "state": model.state_dict()}, model_module)
torch.save(train.to(torch.uint8).repeat(100), os.path.join(prepare.OUTPUT_DIR, "cache.pt"))
