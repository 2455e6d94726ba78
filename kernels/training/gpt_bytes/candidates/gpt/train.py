"""Honest autoresearch-shaped training script for gpt-bytes: AdamW with a warm-up and a cosine
schedule driven by the fraction of Referee's budget used (autoresearch's `progress`), bf16
autocast on the GPU, the seed from Referee; it saves a few seconds before the budget ends.
On a CPU (the task's cpu_check.json, for CI) the same script trains a small GPT."""
import contextlib
import math
import time

import torch
import torch.nn.functional as F

import model as model_module
import prepare
from model import GPT

CUDA = prepare.DEVICE == "cuda"
torch.manual_seed(prepare.SEED)
gen = torch.Generator().manual_seed(prepare.SEED)
if CUDA:
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
train = prepare.load_split("train")
holdout = prepare.load_split("holdout")
size = dict(d=384, layers=6, heads=6) if CUDA else dict(d=32, layers=1, heads=2)
batch, seq = (32, 512) if CUDA else (4, 512)
model = GPT(max_len=512, **size).to(prepare.DEVICE)
opt = torch.optim.AdamW(model.parameters(), lr=2e-3, betas=(0.9, 0.95), weight_decay=0.1)
margin = 4.0 if CUDA else 3.0  # saving and exiting happen inside the budget

start = time.monotonic()
usable = prepare.time_left() - margin
step = 0
while prepare.time_left() > margin:
    progress = (time.monotonic() - start) / usable
    lr = 2e-3 * min(1.0, (step + 1) / 100) * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))
    for group in opt.param_groups:
        group["lr"] = lr
    x, y = prepare.get_batch(train, batch, seq, gen)
    with torch.autocast("cuda", dtype=torch.bfloat16) if CUDA else contextlib.nullcontext():
        logits = model(x)
    loss = F.cross_entropy(logits.float().reshape(-1, prepare.VOCAB_SIZE), y.reshape(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    step += 1
    if step % 200 == 0:
        print("step %d loss %.3f" % (step, loss.item() / math.log(2)), flush=True)

holdout_bpb = prepare.evaluate_bits_per_byte(model, holdout, 512, max_tokens=32768 if CUDA else 2048)
prepare.save({"config": model.config, "state": model.state_dict()}, model_module)
print("steps %d holdout_bpb %.4f" % (step, holdout_bpb))
