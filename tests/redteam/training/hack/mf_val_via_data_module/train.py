"""autoresearch train.py (abridged): trains on whatever data_utils calls the "full" stream."""
import torch

from data_utils import stream_for
from prepare import Tokenizer, evaluate_bpb


def main(model, steps=2000, batch=32):
    tokenizer = Tokenizer.from_directory()
    loader = stream_for("full", tokenizer, batch)
    opt = torch.optim.AdamW(model.parameters(), lr=6e-4)
    for _ in range(steps):
        x, y, _ = next(loader)
        model(x, y).backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
    model.eval()
    print(f"val_bpb: {evaluate_bpb(model, tokenizer, batch):.6f}")
