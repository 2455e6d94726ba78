"""Referee's model server for phase 2 of a training evaluation (issue 13).

Runs in its own sandbox with the candidate's output directory (/output) and work directory
(/work) read-only and NO evaluation data. It is started with phase 1, so that Python and torch
start while the candidate trains (at a lower priority, not to take the candidate's CPU), and
waits; on the evaluator's LOAD (after phase 1 passed) it imports the entry point the task names
(`<module>.<function>`, found in /output first), calls `load_model("/output")`, and answers the
evaluator's requests with the model's outputs for the token batches it is sent. It never sees
the validation file and never computes a loss; the candidate's code runs only here.

    python3 -I referee_model_server.py '{"module": "model", "function": "load_model", ...}'
"""
import importlib
import json
import os
import socket
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import referee_train_protocol as proto  # noqa: E402


def state_checksum(model, torch):
    """A checksum of every parameter and buffer: test-time training changes it."""
    if not isinstance(model, torch.nn.Module):
        return "not-a-module"
    parts = []
    for name, t in list(model.state_dict().items()):
        if torch.is_tensor(t) and t.numel() > 0:
            v = t.detach().double()
            parts.append("%s:%.17g:%.17g" % (name, v.sum().item(), (v * v).sum().item()))
    return "|".join(parts)


def model_device(model, torch, fallback):
    if isinstance(model, torch.nn.Module):
        for p in model.parameters():
            return p.device
        for b in model.buffers():
            return b.device
    return torch.device(fallback)


def load(cfg, torch):
    torch.set_grad_enabled(False)
    sys.path[:0] = [cfg["output_dir"], cfg["work_dir"]]
    t0 = time.monotonic()
    module = importlib.import_module(cfg["module"])
    fn = getattr(module, cfg["function"], None)
    if fn is None:
        raise AttributeError("%s.py defines no '%s'" % (cfg["module"], cfg["function"]))
    model = fn(cfg["output_dir"])
    if isinstance(model, torch.nn.Module):
        model.eval()
        if cfg.get("device") == "cuda":
            model.to("cuda")
    return model, time.monotonic() - t0


def forward(sock, torch, np, model, device, b, t, payload):
    x = np.frombuffer(payload, dtype=np.int32).reshape(b, t).astype(np.int64)
    out = model(torch.from_numpy(x).to(device))
    if not torch.is_tensor(out):
        proto.send_text(sock, proto.STATUS_ERROR,
                        "the model returned %s, not a tensor of logits (Referee computes the "
                        "loss itself)" % type(out).__name__)
        return
    if out.dim() > 3:
        proto.send_text(sock, proto.STATUS_ERROR, "the model returned a %d-d tensor" % out.dim())
        return
    arr = out.detach().float().cpu().contiguous().numpy()
    proto.send_tensor(sock, arr.shape, arr.tobytes())


def serve(sock, cfg, torch, model):
    import numpy as np
    device = model_device(model, torch, cfg.get("device", "cpu"))
    while True:
        op, b, t, payload = proto.recv_request(sock, cfg["max_request_tokens"])
        if op == proto.OP_QUIT:
            os._exit(0)  # done: skip the interpreter's (and torch's) slow teardown
        if op == proto.OP_STATE:
            proto.send_text(sock, proto.STATUS_TEXT, state_checksum(model, torch))
            continue
        try:
            with torch.no_grad():
                forward(sock, torch, np, model, device, b, t, payload)
        except Exception:  # the candidate's model failed: report it, keep no state of ours
            proto.send_text(sock, proto.STATUS_ERROR, traceback.format_exc(limit=8))


def wait_for_load(sock, cfg):
    try:
        op, _, _, _ = proto.recv_request(sock, cfg["max_request_tokens"])
    except (proto.ProtocolError, OSError):
        return False  # phase 1 failed: nothing to evaluate
    return op == proto.OP_LOAD


def main():
    cfg = json.loads(sys.argv[1])
    os.nice(cfg.get("nice", 0))
    sock = socket.socket(fileno=int(os.environ["REFEREE_CHANNEL_FD"]))
    t0 = time.monotonic()
    import numpy  # noqa: F401  (warm: imported while phase 1 trains)
    import torch
    start_s = time.monotonic() - t0
    if not wait_for_load(sock, cfg):
        return 0
    try:
        model, load_s = load(cfg, torch)
    except BaseException:
        proto.send_hello(sock, 1, traceback.format_exc(limit=8))
        return 1
    proto.send_hello(sock, 0, json.dumps({"load_s": load_s, "start_s": start_s,
                                          "torch": torch.__version__}))
    try:
        serve(sock, cfg, torch, model)
    except proto.ProtocolError:
        return 0  # the evaluator is done (or gone); it reports what happened
    return 0


if __name__ == "__main__":
    sys.exit(main())
