import argparse
import os
import random

import numpy as np
import torch


def train(model, seed):
    # ruleid: variance-gaming-ignored-seed
    torch.manual_seed(1337)
    return model


def train_honest(model, seed: int = 0):
    # ok: variance-gaming-ignored-seed
    torch.manual_seed(seed)
    # ok: variance-gaming-ignored-seed
    torch.cuda.manual_seed_all(seed + 1)
    return model


def setup(seed=None):
    if seed is None:
        # ok: variance-gaming-ignored-seed
        torch.manual_seed(0)
    else:
        torch.manual_seed(seed)
    g = torch.Generator()
    # ok: variance-gaming-ignored-seed
    g.manual_seed(1234)


def run(config, random_seed=None):
    def inner():
        # ruleid: variance-gaming-ignored-seed
        np.random.seed(seed=7)

    inner()


base_seed = int(os.environ.get("SEED", "0"))
# ok: variance-gaming-ignored-seed
torch.manual_seed(base_seed)
# ruleid: variance-gaming-ignored-seed
random.seed(42)

harness_seed = int(os.environ["REFEREE_SEED"])
# ruleid: variance-gaming-ignored-seed
torch.cuda.manual_seed(0)


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


def main():
    args = parse_args()
    # ruleid: variance-gaming-ignored-seed
    torch.manual_seed(2024)


SEED = 1337
run_seed = int(os.environ.get("REFEREE_SEED", "0"))
# ruleid: variance-gaming-ignored-seed
np.random.seed(SEED)
# ok: variance-gaming-ignored-seed
torch.manual_seed(run_seed)
DEFAULT_SEED = 0
chosen_seed = int(os.environ.get("REFEREE_SEED", DEFAULT_SEED))
# ok: variance-gaming-ignored-seed
random.seed(chosen_seed)
