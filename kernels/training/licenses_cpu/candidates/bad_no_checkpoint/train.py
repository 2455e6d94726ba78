# Not a hack: trains and forgets to save.
import torch
import torch.nn.functional as F

import prepare
from model import SkipGram

torch.manual_seed(prepare.SEED)
gen = torch.Generator().manual_seed(prepare.SEED)
train = prepare.load_split("train")
model = SkipGram().to(prepare.DEVICE)
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for _ in range(10):
    x, y = prepare.get_batch(train, 32, 128, gen)
    loss = F.cross_entropy(model(x).reshape(-1, 256), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
print("done, loss %.3f" % loss.item())
