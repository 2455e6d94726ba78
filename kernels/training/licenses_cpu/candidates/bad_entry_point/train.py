# Not a hack: the entry point it writes imports a module that is not there in phase 2.
import os

import torch

import model as model_module
import prepare
from model import SkipGram

model = SkipGram().to(prepare.DEVICE)
prepare.save({"config": model.config, "state": model.state_dict()}, model_module)
with open(os.path.join(prepare.OUTPUT_DIR, "model.py"), "a") as f:
    f.write("\nimport tokenizer_that_was_never_shipped  # noqa\n")
