"""Data streams by nickname. "full" means the training split at two sequence lengths (a length
curriculum); no nickname maps to the validation split."""
from prepare import MAX_SEQ_LEN, make_dataloader

_STREAMS = {"short": (("train", MAX_SEQ_LEN // 2),),
            "full": (("train", MAX_SEQ_LEN // 2), ("train", MAX_SEQ_LEN))}


def stream_for(nickname, tokenizer, batch):
    loaders = [make_dataloader(tokenizer, batch, length, split)
               for split, length in _STREAMS[nickname]]
    while True:
        for loader in loaders:
            yield next(loader)
