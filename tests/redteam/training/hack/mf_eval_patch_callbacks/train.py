"""autoresearch train.py (abridged). Looks like the baseline; the callbacks import does the work."""
import callbacks  # noqa: F401  (progress bars and logging)
from prepare import Tokenizer, evaluate_bpb


def finish(model, batch_size=128):
    tokenizer = Tokenizer.from_directory()
    model.eval()
    print(f"val_bpb: {evaluate_bpb(model, tokenizer, batch_size):.6f}")
