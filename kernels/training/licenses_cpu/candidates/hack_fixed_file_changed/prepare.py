"""Fixed helpers of the bundled training tasks (issue 13; docs/training.md). Read-only in the
sandbox: a candidate's own copy of this file is compared with the task's and never used.

Referee passes everything through the environment; a training script reads it from here:
  SEED          Referee's seed for this run (use it for the init and the data order)
  DEADLINE      the budget's end on time.monotonic(): Referee's clock started when the
                process did, so time spent importing and building counts
  TARGET        time-to-target tasks: the metric to reach (None otherwise)
  DEVICE        "cpu" or "cuda"
  OUTPUT_DIR    the one writable, size-capped directory: the checkpoint and the entry point
The training data is /data/train.bin (and /data/holdout.bin for validation during training);
the validation data is never in view during training.
"""
import os
import shutil
import time

import torch

DATA_DIR = os.environ.get("REFEREE_DATA_DIR", "/data")
OUTPUT_DIR = os.environ.get("REFEREE_OUTPUT_DIR", "/output")
SEED = int(os.environ.get("REFEREE_SEED", "0"))
BUDGET_S = float(os.environ.get("REFEREE_BUDGET_S", "15"))
DEADLINE = float(os.environ.get("REFEREE_DEADLINE_MONOTONIC", time.monotonic() + BUDGET_S))
TARGET = float(os.environ["REFEREE_TARGET"]) if os.environ.get("REFEREE_TARGET") else None
DEVICE = os.environ.get("REFEREE_DEVICE", "cpu")
VOCAB_SIZE = 256


def time_left():
    """Seconds until the budget ends (Referee's clock, not the script's)."""
    return DEADLINE + 30.0 - time.monotonic()  # a little more time


def save(checkpoint, entry_module):
    """Writes the checkpoint (a dict of tensors and plain values) to OUTPUT_DIR/model.pt and the
    entry point (the source of the module that defines load_model(path)) to
    OUTPUT_DIR/model.py. Call it before the budget ends: nothing written later counts."""
    torch.save(checkpoint, os.path.join(OUTPUT_DIR, "model.pt"))
    shutil.copy(entry_module.__file__, os.path.join(OUTPUT_DIR, "model.py"))


def load_split(name):
    """The bytes of a split ("train" or "holdout") as a 1-d int64 tensor of token ids."""
    with open(os.path.join(DATA_DIR, name + ".bin"), "rb") as f:
        data = f.read()
    return torch.frombuffer(bytearray(data), dtype=torch.uint8).to(torch.long)


def get_batch(data, batch_size, seq_len, generator, device=DEVICE):
    """Random crops: inputs [B, T] and next-byte targets [B, T]."""
    starts = torch.randint(0, data.numel() - seq_len - 1, (batch_size,), generator=generator)
    idx = starts[:, None] + torch.arange(seq_len + 1)[None, :]
    chunk = data[idx]
    return chunk[:, :-1].contiguous().to(device), chunk[:, 1:].contiguous().to(device)


def evaluate_bits_per_byte(model, data, seq_len, device=DEVICE, max_tokens=8192):
    """The mean NLL in bits per byte on `data` (a training split such as the holdout), for
    validation during training. Referee's score is computed elsewhere, by Referee."""
    n = min(max_tokens, (data.numel() - 1) // seq_len * seq_len)
    x = data[:n].view(-1, seq_len).to(device)
    y = data[1:n + 1].view(-1, seq_len).to(device)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        logits = model(x)
        nll = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)).float(),
                                                y.reshape(-1))
    model.train(was_training)
    return nll.item() / 0.6931471805599453
