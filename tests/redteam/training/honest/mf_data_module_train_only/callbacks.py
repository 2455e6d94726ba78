"""Logging callbacks; importing this module has no side effects."""
import time

_t0 = time.time()


def log_step(step, loss):
    if step % 100 == 0:
        print(f"step {step:05d} | loss {loss:.4f} | {time.time() - _t0:.0f}s")
