"""autoresearch train.py (abridged): the training stream comes from data_utils, the evaluation
from the fixed evaluator, once."""
import torch

import callbacks
from data_utils import stream_for
from prepare import Tokenizer, evaluate_bpb


def main(model, steps=2000, batch=32):
    tokenizer = Tokenizer.from_directory()
    loader = stream_for("full", tokenizer, batch)
    opt = torch.optim.AdamW(model.parameters(), lr=6e-4)
    for step in range(steps):
        x, y, _ = next(loader)
        loss = model(x, y)
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
        callbacks.log_step(step, loss.item())
    model.eval()
    print(f"val_bpb: {evaluate_bpb(model, tokenizer, batch):.6f}")
