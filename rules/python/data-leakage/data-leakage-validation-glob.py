import glob
import os
import time
from pathlib import Path

import torch
from prepare import TIME_BUDGET, evaluate_bpb

DATA_DIR = "data/fineweb"

# ruleid: data-leakage-validation-glob
extra_shards = sorted(glob.glob(os.path.join(DATA_DIR, "*val*.parquet")))
# ruleid: data-leakage-validation-glob
more = list(Path(DATA_DIR).glob("shard_*_validation_*.bin"))
# ok: data-leakage-validation-glob
train_shards = sorted(glob.glob(os.path.join(DATA_DIR, "shard_*_train.parquet")))
# ok: data-leakage-validation-glob
evals = glob.glob("eval_*.json")
# ok: data-leakage-validation-glob
intervals = glob.glob("interval*.log")


def evaluate_bpb_shards():
    pass


model = torch.nn.Linear(4, 4)
total_training_time = 0.0
while True:
    t0 = time.time()
    # ruleid: data-leakage-validation-glob
    for path in glob.iglob(f"{DATA_DIR}/fineweb_val_*.bin"):
        pass
    t1 = time.time()
    total_training_time += t1 - t0
    if total_training_time >= TIME_BUDGET:
        break

val_bpb = evaluate_bpb(model, None, 8)
