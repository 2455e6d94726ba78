#!/usr/bin/env python3
"""Unit tests of the trusted evaluator and the model server (training/python), without the
sandbox: both run as plain processes joined by a socketpair, on small models written to a temp
output dir. Each check is tested on a model that must fail it and on honest look-alikes that
must pass (STYLE.md). Usage: evaluator_test.py [PYTHON]
"""
import json
import math
import os
import socket
import subprocess
import sys
import shutil
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PYDIR = os.path.join(os.path.dirname(HERE), "python")
PYTHON = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1].startswith("/") else sys.executable

# A causal count model: p(next | current byte) from a table; honest.
BIGRAM = """
import torch
class Bigram(torch.nn.Module):
    def __init__(self, table):
        super().__init__()
        self.register_buffer("table", table)
    def forward(self, idx):
        return self.table[idx]
def load_model(path):
    return Bigram(torch.load(path + "/table.pt"))
"""

MODELS = {
    "honest": BIGRAM,
    # log_probs output: the honest model normalises itself.
    "honest_logprobs": BIGRAM.replace("return self.table[idx]",
                                      "return torch.log_softmax(self.table[idx], -1)"),
    # Peeks at the next token (E2-E4): logits at t depend on idx[t+1].
    "peek": BIGRAM.replace("return self.table[idx]", """
        nxt = torch.roll(idx, -1, dims=1)
        return self.table[idx] + 8.0 * torch.nn.functional.one_hot(nxt, 256).float()"""),
    # Returns its own per-token "loss" instead of logits (E1).
    "own_loss": BIGRAM.replace("return self.table[idx]",
                               "return -torch.log_softmax(self.table[idx], -1).max(-1).values"),
    # Claims log-probs that do not sum to 1 (an unnormalised cache mixture, E6).
    "unnormalised": BIGRAM.replace("return self.table[idx]",
                                   "return torch.log_softmax(self.table[idx], -1) + 1.0"),
    # Remembers what it was sent and changes its answers (a cross-call cache).
    "stateful": BIGRAM.replace("return self.table[idx]", """
        self.calls = getattr(self, "calls", 0) + 1
        return self.table[idx] * (1.0 + 0.01 * self.calls)"""),
    # Test-time training: updates its table from the inputs it is shown (D1).
    "ttt": BIGRAM.replace("return self.table[idx]", """
        out = self.table[idx].clone()
        self.table[idx[:, :-1], idx[:, 1:]] += 0.0  # no-op on values...
        self.table.add_(1e-3)                       # ...but the state changes
        return out"""),
    "nan": BIGRAM.replace("return self.table[idx]", "return self.table[idx] * float('nan')"),
    "load_fails": BIGRAM.replace("def load_model(path):", "def load_model(path):\n    1 / 0"),
    "tuple": BIGRAM.replace("return self.table[idx]", "return self.table[idx], None"),
    # Work after the budget, moved into the untimed load: bounded by load_timeout_s.
    "slow_load": BIGRAM.replace("def load_model(path):", "def load_model(path):\n"
                                "    import time; time.sleep(60)"),
}


def make_output(tmp, name, table):
    out = os.path.join(tmp, name)
    os.makedirs(out)
    with open(os.path.join(out, "model.py"), "w") as f:
        f.write(textwrap.dedent(MODELS[name]))
    shutil.copy(table, os.path.join(out, "table.pt"))
    return out


def evaluate(out, val_path, output="logits", tokens=2048, seq_len=128, load_timeout=60):
    a, b = socket.socketpair()
    common = {"vocab_size": 256, "seq_len": seq_len, "batch": 4}
    server_cfg = dict(common, module="model", function="load_model", output_dir=out,
                      work_dir=out, device="cpu", max_request_tokens=1 << 20)
    eval_cfg = dict(common, tokens=tokens, output=output, metric="bpb", val_path=val_path,
                    nonce=1234, probe_sequences=3, tolerance=1e-4, load_timeout_s=load_timeout,
                    eval_timeout_s=120)
    server = subprocess.Popen(
        [PYTHON, "-I", os.path.join(PYDIR, "referee_model_server.py"), json.dumps(server_cfg)],
        pass_fds=[a.fileno()], env=dict(os.environ, REFEREE_CHANNEL_FD=str(a.fileno())),
        stderr=subprocess.DEVNULL)
    ev = subprocess.run(
        [PYTHON, "-I", os.path.join(PYDIR, "referee_train_eval.py"), json.dumps(eval_cfg)],
        pass_fds=[b.fileno()], env=dict(os.environ, REFEREE_CHANNEL_FD=str(b.fileno())),
        capture_output=True, text=True, timeout=120)
    a.close()
    b.close()
    if load_timeout < 60:
        server.kill()  # what Referee's supervisor does once the evaluator is done
    server.wait(timeout=60)
    if ev.returncode != 0:
        raise AssertionError(ev.stderr)
    return json.loads(ev.stdout)


class EvaluatorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="referee-evaluator-test-")
        cls.val = os.path.join(cls.tmp, "val.bin")
        with open("/usr/share/common-licenses/GPL-3", "rb") as f:
            data = f.read(4096)
        with open(cls.val, "wb") as f:
            f.write(data)
        table = os.path.join(cls.tmp, "table.pt")
        script = ("import torch; g = torch.Generator().manual_seed(0); "
                  "torch.save(torch.randn(256, 256, generator=g), %r)" % table)
        subprocess.run([PYTHON, "-c", script], check=True)
        cls.outs = {name: make_output(cls.tmp, name, table) for name in MODELS}

    def expect_fail(self, name, check, output="logits"):
        r = evaluate(self.outs[name], self.val, output)
        self.assertFalse(r["ok"], r)
        self.assertEqual(r["check"], check, r)
        return r

    def test_honest_model_passes_with_the_metric_computed_from_logits(self):
        r = evaluate(self.outs["honest"], self.val)
        self.assertTrue(r["ok"], r)
        self.assertEqual(r["tokens"], 2048)
        self.assertAlmostEqual(r["metric"], r["nll_nats_per_token"] / math.log(2), places=9)
        # Random logits: about ln(256) nats per byte, plus their spread.
        self.assertGreater(r["metric"], 7.0)
        names = [c["name"] for c in r["checks"]]
        for want in ("token-set", "model-load", "causality-suffix", "causality-flip",
                     "normalisation", "stateless", "model-state"):
            self.assertIn(want, names)
        self.assertTrue(all(c["ok"] for c in r["checks"]))

    def test_honest_log_probs_pass_the_normalisation_check(self):
        r = evaluate(self.outs["honest_logprobs"], self.val, output="log_probs")
        self.assertTrue(r["ok"], r)
        # Same distribution as the logits model: the same metric.
        self.assertAlmostEqual(r["metric"], evaluate(self.outs["honest"], self.val)["metric"],
                               places=5)

    def test_peeking_model_fails_the_causality_probe(self):
        r = self.expect_fail("peek", "causality-suffix")
        self.assertIn("moved by", r["message"])

    def test_model_returning_its_own_loss_fails_the_shape_check(self):
        r = self.expect_fail("own_loss", "logits-shape")
        self.assertIn("Referee computes the metric itself", r["message"])

    def test_unnormalised_log_probs_fail(self):
        r = self.expect_fail("unnormalised", "normalisation", output="log_probs")
        self.assertIn("sum to", r["message"])

    def test_stateful_model_fails(self):
        # Caught by whichever comparison sees it first: the probes come before the scored pass.
        r = evaluate(self.outs["stateful"], self.val)
        self.assertFalse(r["ok"])
        self.assertIn(r["check"], ("causality-suffix", "causality-flip", "stateless"))

    def test_test_time_training_fails_the_model_state_check(self):
        # A uniform shift of every logit leaves the log-probs alone: only the state check sees it.
        self.expect_fail("ttt", "model-state")

    def test_nan_fails_finite(self):
        self.expect_fail("nan", "finite")

    def test_load_failure_reports_the_traceback(self):
        r = self.expect_fail("load_fails", "model-load")
        self.assertIn("ZeroDivisionError", r["message"])
        self.assertIn("model.py", r["traceback"])

    def test_tuple_output_is_refused(self):
        r = self.expect_fail("tuple", "model-error")
        self.assertIn("not a tensor", r["message"])

    def test_load_model_that_does_not_return_is_a_load_error(self):
        r = evaluate(self.outs["slow_load"], self.val, load_timeout=3)
        self.assertEqual(r["check"], "model-load", r)
        self.assertIn("did not return within 3s", r["message"])

    def test_short_validation_data_fails_the_token_set(self):
        r = evaluate(self.outs["honest"], self.val, tokens=8192)
        self.assertEqual(r["check"], "token-set")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
