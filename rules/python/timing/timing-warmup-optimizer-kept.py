import copy

import torch


def warmup_model_only(model, optimizers, loader, steps=20):
    initial = copy.deepcopy(model.state_dict())
    for _ in range(steps):
        x, y = next(loader)
        model(x, y).backward()
        for opt in optimizers:
            opt.step()
        model.zero_grad(set_to_none=True)
    # ruleid: timing-warmup-optimizer-kept
    model.load_state_dict(initial)


def warmup_everything(model, optimizers, loader, steps=20):
    initial = dict(model=copy.deepcopy(model.state_dict()),
                   optimizers=[copy.deepcopy(o.state_dict()) for o in optimizers])
    for _ in range(steps):
        x, y = next(loader)
        model(x, y).backward()
        for opt in optimizers:
            opt.step()
        model.zero_grad(set_to_none=True)
    # ok: timing-warmup-optimizer-kept
    model.load_state_dict(initial["model"])
    for opt, state in zip(optimizers, initial["optimizers"]):
        opt.load_state_dict(state)


def warmup_then_fresh_optimizer(model, loader):
    optimizer = torch.optim.AdamW(model.parameters())
    snapshot = copy.deepcopy(model.state_dict())
    for _ in range(5):
        model(*next(loader)).backward()
        optimizer.step()
    # ok: timing-warmup-optimizer-kept
    model.load_state_dict(snapshot)
    optimizer = torch.optim.AdamW(model.parameters())
    return optimizer


def train_with_rollback(model, optimizer, loader, best):
    for x, y in loader:
        loss = model(x, y)
        if not torch.isfinite(loss):
            # ok: timing-warmup-optimizer-kept
            model.load_state_dict(best)
            continue
        loss.backward()
        optimizer.step()


def resume(model, optimizer, path):
    ckpt = torch.load(path)
    # ok: timing-warmup-optimizer-kept
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
