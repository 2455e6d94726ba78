"""Referee's trusted evaluator for phase 2 of a training evaluation (issue 13).

Runs in a fresh sandbox that holds the validation data read-only (/data/val.bin) and no
candidate code. It talks to the model server (another sandbox, which runs the candidate's entry
point and never sees the validation file) over one socket: it sends the fixed evaluation tokens
and takes back logits only, then computes log-softmax, NLL and bits per byte itself. Checks, in
the order they run (docs/training.md):

  model-load        the entry point loaded within the time limit
  token-set         exactly `tokens` targets, the split's first tokens + 1 bytes, in order
  causality-suffix  the suffix after position k replaced: log-probs at positions <= k unchanged
  causality-flip    one token j changed: log-probs at positions < j unchanged (the probability
                    the model gave token j before seeing it must not move)
  logits-shape      [B, T, vocab] for a [B, T] request
  finite            no NaN/inf
  normalisation     the probabilities sum to 1 over the metric's vocabulary
  stateless         a sequence re-sent later, among other neighbours, gets the same log-probs
  model-state       parameters and buffers unchanged by the evaluation (no test-time training)

Prints one JSON object on stdout: the metric, the checks and, on failure, the failing check.
"""
import hashlib
import json
import math
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import referee_train_protocol as proto  # noqa: E402


class Rejected(Exception):
    def __init__(self, check, message, traceback_text=""):
        super().__init__(message)
        self.check = check
        self.traceback_text = traceback_text


class Evaluator:
    def __init__(self, cfg, np, sock):
        self.cfg, self.np, self.sock = cfg, np, sock
        self.vocab, self.seq_len, self.batch = cfg["vocab_size"], cfg["seq_len"], cfg["batch"]
        self.deadline = time.monotonic() + cfg["eval_timeout_s"]
        self.checks = []
        self.rng = np.random.default_rng(cfg["nonce"])
        self.requests = 0

    def check(self, name, ok, detail):
        self.checks.append({"name": name, "ok": bool(ok), "detail": detail})
        if not ok:
            raise Rejected(name, detail)

    # --- the channel ---
    def timeout(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Rejected("eval-timeout", "the evaluation took longer than %gs"
                           % self.cfg["eval_timeout_s"])
        self.sock.settimeout(left)

    def log_probs(self, x):
        """Sends x [B, T] and returns float32 log-probs [B, T, V] after the shape checks."""
        np = self.np
        self.timeout()
        proto.send_request(self.sock, proto.OP_FORWARD, np.ascontiguousarray(x, dtype=np.int32))
        status, shape, payload = proto.recv_response(self.sock, x.size * self.vocab)
        self.requests += 1
        if status == proto.STATUS_ERROR:
            text = payload.decode("utf-8", "replace")
            raise Rejected("model-error", text.strip().splitlines()[-1] if text.strip() else
                           "the model failed", text)
        want = (x.shape[0], x.shape[1], self.vocab)
        if tuple(shape) != want:
            self.check("logits-shape", False, "the model returned shape %s for a %s batch; "
                       "expected %s logits (Referee computes the metric itself)"
                       % (list(shape), list(x.shape), list(want)))
        z = np.frombuffer(payload, dtype=np.float32).reshape(want)
        if not np.isfinite(z).all():
            bad = np.argwhere(~np.isfinite(z))[0]
            self.check("finite", False, "non-finite output at sequence %d position %d"
                       % (bad[0], bad[1]))
        # float32 with the max subtracted: ~1e-7 relative per entry; sums are float64 below.
        lse = z.max(axis=-1, keepdims=True)
        lse = lse + np.log(np.exp(z - lse).sum(axis=-1, keepdims=True))
        if self.cfg["output"] == "log_probs":
            worst = float(np.abs(lse).max())
            if worst > 1e-3:
                at = np.unravel_index(int(np.abs(lse).argmax()), lse.shape)
                self.check("normalisation", False,
                           "the model's probabilities sum to %.6g, not 1, at sequence %d "
                           "position %d" % (math.exp(float(lse[at])), at[0], at[1]))
        return z - lse

    def state(self):
        self.timeout()
        proto.send_request(self.sock, proto.OP_STATE)
        status, _, payload = proto.recv_response(self.sock, 0)
        return payload.decode("utf-8", "replace")

    # --- the evaluation ---
    def batches(self, rows):
        """Full batches of `self.batch` rows as (rows, real count); the last is padded with
        repeats, which are not scored: every request has the same shape (same kernels)."""
        out = []
        for i in range(0, len(rows), self.batch):
            real = list(rows[i:i + self.batch])
            pad = [rows[j % len(rows)] for j in range(self.batch - len(real))]
            out.append((real + pad, len(real)))
        return out


def load_tokens(cfg, np):
    n = cfg["tokens"]
    with open(cfg["val_path"], "rb") as f:
        data = f.read(n + 1)
    if len(data) < n + 1:
        raise Rejected("token-set", "the validation data holds %d bytes, fewer than %d"
                       % (len(data), n + 1))
    tokens = np.frombuffer(data, dtype=np.uint8).astype(np.int32)
    if int(tokens.max()) >= cfg["vocab_size"]:
        raise Rejected("token-set", "a validation token is outside the vocabulary")
    return tokens, hashlib.sha256(data).hexdigest()


def probes(ev, x):
    """Perturbed copies of a few sequences, sent before the scored pass. Returns the checks to
    run against the scored log-probs: (sequence, last position that must not move, kind)."""
    np = ev.np
    nseq, L = x.shape
    picks = ev.rng.choice(nseq, size=min(ev.cfg["probe_sequences"], nseq), replace=False)
    rows, plan = [], []
    for s in picks:
        k = int(ev.rng.integers(L // 4, max(L // 4 + 1, 3 * L // 4)))
        suffix = x[s].copy()
        suffix[k + 1:] = ev.rng.integers(0, ev.vocab, size=L - k - 1)
        if L > k + 1 and suffix[k + 1] == x[s, k + 1]:
            suffix[k + 1] = (x[s, k + 1] + 1) % ev.vocab
        rows.append(suffix)
        plan.append((int(s), k, "causality-suffix"))
        j = int(ev.rng.integers(1, L))
        flip = x[s].copy()
        flip[j] = (x[s, j] + int(ev.rng.integers(1, ev.vocab))) % ev.vocab
        rows.append(flip)
        plan.append((int(s), j - 1, "causality-flip"))
    got = []
    for chunk, n in ev.batches(rows):
        lp = ev.log_probs(np.stack(chunk))
        got.extend(lp[:n])
    return [(s, last, kind, got[i]) for i, (s, last, kind) in enumerate(plan)]


def compare(ev, kind, want, got, last, what):
    tol = ev.cfg["tolerance"]
    diff = ev.np.abs(want[:last + 1].astype(ev.np.float64) - got[:last + 1])
    worst = float(diff.max()) if diff.size else 0.0
    if worst > tol:
        pos = int(ev.np.unravel_index(int(diff.argmax()), diff.shape)[0])
        ev.check(kind, False, "%s: log-probs at position %d moved by %.3g (> %g)"
                 % (what, pos, worst, tol))
    return worst


def score(ev, x, y, keep):
    """The scored pass, in a shuffled order. Returns per-sequence NLL sums and kept log-probs."""
    np = ev.np
    nseq = x.shape[0]
    order = ev.rng.permutation(nseq)
    nll = np.zeros(nseq)
    kept = {}
    for chunk, n in ev.batches([int(s) for s in order]):
        lp = ev.log_probs(x[chunk])
        for i in range(n):
            s = chunk[i]
            nll[s] = -lp[i, np.arange(x.shape[1]), y[s]].astype(np.float64).sum()
            if s in keep:
                kept[s] = lp[i]
    return nll, kept, order


def evaluate(ev, tokens):
    np, L = ev.np, ev.seq_len
    nseq = ev.cfg["tokens"] // L
    x = np.stack([tokens[i * L:(i + 1) * L] for i in range(nseq)])
    y = np.stack([tokens[i * L + 1:(i + 1) * L + 1] for i in range(nseq)])
    state_before = ev.state()
    planned = probes(ev, x)
    keep = {s for s, _, _, _ in planned}
    again = [int(s) for s in ev.rng.choice(nseq, size=min(2, nseq), replace=False)]
    keep.update(again)
    nll, kept, order = score(ev, x, y, keep)
    ev.check("logits-shape", True, "[%d, %d, %d] for every request" % (ev.batch, L, ev.vocab))
    ev.check("finite", True, "every output finite")
    ev.check("normalisation", True, "probabilities sum to 1 over %d tokens%s" % (
        ev.vocab, " (the model's own log-probs)" if ev.cfg["output"] == "log_probs" else
        " (log-softmax computed by Referee)"))
    worst = {"causality-suffix": 0.0, "causality-flip": 0.0}
    for s, last, kind, got in planned:
        what = ("suffix after position %d of sequence %d replaced" % (last, s)
                if kind == "causality-suffix" else
                "token %d of sequence %d changed" % (last + 1, s))
        worst[kind] = max(worst[kind], compare(ev, kind, kept[s], got, last, what))
    for kind in ("causality-suffix", "causality-flip"):
        ev.check(kind, True, "%d sequences probed, max |Δ log p| %.2g at unaffected positions"
                 % (len(planned) // 2, worst[kind]))
    fillers = [int(s) for s in order[::-1] if int(s) not in again]
    chunk, _ = ev.batches((again + fillers)[:ev.batch])[0]
    lp = ev.log_probs(x[chunk])
    for i, s in enumerate(again):
        compare(ev, "stateless", kept[s], lp[i], L - 1,
                "sequence %d re-sent with other neighbours" % s)
    ev.check("stateless", True, "%d sequences re-sent later with other neighbours: same "
             "log-probs" % len(again))
    unchanged = ev.state() == state_before
    ev.check("model-state", unchanged,
             "parameters and buffers unchanged by the evaluation" if unchanged
             else "the model's parameters or buffers changed during the evaluation "
                  "(test-time training)")
    return nll


def run(cfg, np, sock):
    ev = Evaluator(cfg, np, sock)
    result = {"ok": False, "checks": ev.checks}
    try:
        tokens, token_sha = load_tokens(cfg, np)
        result["token_sha256"] = token_sha
        ev.check("token-set", True, "%d targets, the validation split's first %d bytes in order"
                 " (sha256 %s)" % (cfg["tokens"], cfg["tokens"] + 1, token_sha[:16]))
        sock.settimeout(cfg["load_timeout_s"])
        try:
            proto.send_request(sock, proto.OP_LOAD)
            status, text = proto.recv_hello(sock)
        except socket.timeout:
            raise Rejected("model-load", "load_model did not return within %gs"
                           % cfg["load_timeout_s"])
        if status != 0:
            lines = text.strip().splitlines()
            raise Rejected("model-load", lines[-1] if lines else "load_model failed", text)
        hello = json.loads(text)
        result["load_s"] = hello.get("load_s")
        result["server_start_s"] = hello.get("start_s")
        result["torch"] = hello.get("torch")
        ev.check("model-load", True, "load_model returned in %.2fs" % hello.get("load_s", 0))
        t0 = time.monotonic()
        nll = evaluate(ev, tokens)
        total = float(nll.sum())
        n = cfg["tokens"]
        result["nll_nats_per_token"] = total / n
        result["metric"] = total / (math.log(2) * n) if cfg["metric"] == "bpb" else total / n
        result["tokens"] = n
        result["eval_s"] = time.monotonic() - t0
        result["requests"] = ev.requests
        result["fingerprint"] = hashlib.sha256(np.round(nll, 6).tobytes()).hexdigest()
        result["sequence_nll"] = [round(float(v), 6) for v in nll]
        result["ok"] = True
    except Rejected as e:
        result.update({"check": e.check, "message": str(e), "traceback": e.traceback_text})
    except (proto.ProtocolError, OSError) as e:
        result.update({"check": "model-error", "message": "the model server stopped answering "
                       "(%s)" % e, "traceback": ""})
    return result


def wait_for_go():
    """Started with phase 1 (imports done, waiting): Referee writes one byte when phase 1 has
    passed, or closes the pipe when there is nothing to evaluate."""
    fd = os.environ.get("REFEREE_GO_FD")
    if fd is None:
        return True
    while True:
        try:
            return os.read(int(fd), 1) == b"g"
        except InterruptedError:
            continue


def main():
    cfg = json.loads(sys.argv[1])
    t0 = time.monotonic()
    import numpy as np
    sock = socket.socket(fileno=int(os.environ["REFEREE_CHANNEL_FD"]))
    start_s = time.monotonic() - t0
    if not wait_for_go():
        return 0
    result = run(cfg, np, sock)
    result["evaluator_start_s"] = start_s
    try:
        sock.settimeout(1)
        proto.send_request(sock, proto.OP_QUIT)
    except OSError:
        pass
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)  # skip the interpreter's teardown: Referee is waiting


if __name__ == "__main__":
    sys.exit(main())
