import glob
import os
from pathlib import Path

from prepare import VAL_FILENAME, make_dataloader

CACHE = os.path.join(os.path.expanduser("~"), ".cache", "autoresearch", "data")


def all_shards():
    # ruleid: data-leakage-glob-matches-validation
    return sorted(glob.glob(os.path.join(CACHE, "shard_*.parquet")))


def shards_in(root):
    # ruleid: data-leakage-glob-matches-validation
    return sorted(Path(root).glob("shard_0[0-9][0-9][0-9][0-9].parquet"))


def train_shards():
    # ok: data-leakage-glob-matches-validation
    found = sorted(glob.glob(os.path.join(CACHE, "shard_*.parquet")))
    return [p for p in found if os.path.basename(p) != VAL_FILENAME]


def first_shards():
    # Cannot reach shard_06542.
    # ok: data-leakage-glob-matches-validation
    return sorted(glob.glob(os.path.join(CACHE, "shard_000[0-4]?.parquet")))


def main():
    files = all_shards() + shards_in(CACHE) + train_shards() + first_shards()
    return make_dataloader(files)


main()
