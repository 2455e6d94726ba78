#!/usr/bin/python3
"""Lays out the public corpora of issue 18 from fetched mirrors and writes a manifest for
bench/redteam_bench.py. Nothing here is committed: the files go to --out (default under /tmp).

usage: public_corpus_layout.py --out DIR [--pygpubench GIT_DIR] [--sol GIT_DIR]
           [--autoresearch GIT_DIR] [--modded GIT_DIR] [--kernelbench GIT_DIR]
Each GIT_DIR is a bare repository (what the fetch tool returns, .../repo). Files are read one by
one with `git cat-file`, so a snapshot that lacks some large blobs still lays out; a missing
file is reported and skipped. Writes DIR/MANIFEST.txt (one `PATH key=value ...` line per case,
see tests/redteam/corpus.py) and prints how many cases each corpus gave.

The labels of the hacks (category, mechanism) are this bench's reading of each exploit's own
description, in the red-team corpus's vocabulary (tests/redteam/README.md).
"""

import argparse
import fnmatch
import json
import os
import subprocess
import sys

# pygpubench exploits/submission_<name>.py: name -> (category, mechanism). 22 exploits.
PYGPUBENCH_EXPLOITS = {
    "aes_key_recovery": ("harness-tampering", "memory-scan-result-forge"),
    "combined": ("harness-tampering", "gc-grader-objects"),
    "error_counter": ("harness-tampering", "gpu-memset-error-counter"),
    "event_array": ("harness-tampering", "event-handle-overwrite"),
    "fd_overwrite": ("harness-tampering", "result-channel-forge"),
    "file_struct": ("harness-tampering", "result-channel-forge"),
    "function_detour": ("harness-tampering", "binary-patch-timer"),
    "gc_copy": ("harness-tampering", "gc-grader-objects"),
    "gc_nan": ("harness-tampering", "gc-grader-objects"),
    "got_patch": ("harness-tampering", "binary-patch-timer"),
    "gpu_scan_zeros": ("harness-tampering", "gpu-address-scan"),
    "heap_sig_scan": ("harness-tampering", "memory-scan-result-forge"),
    "pipe_interpose": ("harness-tampering", "result-channel-forge"),
    "proc_mem_bypass": ("harness-tampering", "proc-self-mem-write"),
    "ptrace": ("harness-tampering", "ptrace-poke"),
    "replace_torch": ("env-fs-state", "harness-file-tamper"),
    "seccomp_trap": ("harness-tampering", "seccomp-syscall-trap"),
    "stack_sig_scan": ("harness-tampering", "memory-scan-result-forge"),
    "test_canary_direct": ("harness-tampering", "memory-scan-write"),
    "test_canary_make_writeable": ("harness-tampering", "memory-scan-write"),
    "thread_fd": ("harness-tampering", "result-channel-forge"),
    "warmup": ("timing-tricks", "warmup-detection"),
}

SOL_EVIL = {  # tests/sol_execbench/samples/evil_<name>/kernel.py
    "lazy_output": ("lazy-outputs", "lazy-tensor-subclass"),
    "monkey_patch": ("harness-tampering", "timer-monkeypatch"),
    "thread_inject": ("thread-injection", "background-thread-worker"),
}
SOL_JSON_HACKS = {  # tests/samples/rmsnorm/solution_hack_<name>.json, sources embedded
    "lazy_output": ("lazy-outputs", "lazy-tensor-subclass"),
    "monkey_patch": ("harness-tampering", "timer-monkeypatch"),
    "stream_injection": ("stream-tricks", "side-stream-unjoined"),
    "thread_injection": ("thread-injection", "background-thread-worker"),
}
KERNELBENCH_ADVERSARIAL = {  # src/kernelbench/unit_tests/test_kernels/<name>.py
    "non_default_stream_kernel": ("stream-tricks", "library-handle-private-stream"),
    "result_reuse_kernel": ("memory-reuse", "uninitialized-output-reuse"),
    "zero_out_kernel": ("input-mutation", "input-mutation"),
}
SOURCE_GLOBS = ("*.py", "*.cu", "*.cuh", "*.cpp", "*.cc", "*.h", "*.hpp")


class Mirror:
    def __init__(self, git_dir):
        self.git_dir = git_dir
        out = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", "HEAD"],
                             capture_output=True, text=True, check=True).stdout
        self.paths = out.splitlines()
        self.commit = subprocess.run(["git", "--git-dir", git_dir, "rev-parse", "--short", "HEAD"],
                                     capture_output=True, text=True, check=True).stdout.strip()

    def read(self, path):
        proc = subprocess.run(["git", "--git-dir", self.git_dir, "cat-file", "-p", f"HEAD:{path}"],
                              capture_output=True)
        if proc.returncode != 0:
            raise OSError(f"{self.git_dir}: cannot read {path}: {proc.stderr.decode().strip()}")
        return proc.stdout

    def match(self, *patterns):
        return [p for p in self.paths if any(fnmatch.fnmatch(p, pat) for pat in patterns)]


class Layout:
    def __init__(self, out):
        self.out = out
        self.lines = []
        self.counts = {}

    def write(self, rel, data):
        path = os.path.join(self.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return rel

    def copy(self, mirror, source, path, dest=None):
        try:
            return self.write(os.path.join(source, dest or path), mirror.read(path))
        except OSError as e:
            print(f"public_corpus_layout: warning: {e}", file=sys.stderr)
            return None

    def case(self, rel, source, kind, context, category, mechanism, static=None):
        if rel is None:
            return
        fields = [f"kind={kind}", f"category={category}", f"mechanism={mechanism}"]
        if static:
            fields.append(f"static={static}")
        fields += [f"context={context}", f"source={source}"]
        self.lines.append(f"{rel} {' '.join(fields)}")
        key = (source, kind)
        self.counts[key] = self.counts.get(key, 0) + 1


def lay_pygpubench(layout, mirror):
    for name, (category, mechanism) in sorted(PYGPUBENCH_EXPLOITS.items()):
        path = f"exploits/submission_{name}.py"
        layout.case(layout.copy(mirror, "pygpubench", path), "pygpubench", "hack", "kernel",
                    category, mechanism, "yes")
    layout.case(layout.copy(mirror, "pygpubench", "exploits/submission_correct.py"),
                "pygpubench", "honest", "kernel", "honest-code", "public-example")


def lay_sol(layout, mirror):
    for name, (category, mechanism) in sorted(SOL_EVIL.items()):
        path = f"tests/sol_execbench/samples/evil_{name}/kernel.py"
        layout.case(layout.copy(mirror, "sol-execbench", path), "sol-execbench", "hack", "kernel",
                    category, mechanism, "yes")
    for name, (category, mechanism) in sorted(SOL_JSON_HACKS.items()):
        try:
            solution = json.loads(mirror.read(f"tests/samples/rmsnorm/solution_hack_{name}.json"))
        except (OSError, ValueError) as e:
            print(f"public_corpus_layout: warning: {e}", file=sys.stderr)
            continue
        folder = os.path.join("sol-execbench-json", f"hack_{name}")
        for src in solution.get("sources", []):
            layout.write(os.path.join(folder, src["path"]), src["content"].encode())
        layout.case(folder, "sol-execbench-json", "hack", "kernel", category, mechanism, "yes")
    examples = [p for p in mirror.match(*(f"examples/*/{g}" for g in SOURCE_GLOBS))
                if os.path.basename(p) != "reference.py"]
    for path in sorted(examples):
        layout.case(layout.copy(mirror, "sol-execbench", path), "sol-execbench", "honest",
                    "kernel", "honest-code", "public-example")


def lay_autoresearch(layout, mirror):
    for path in ("train.py", "prepare.py"):
        layout.case(layout.copy(mirror, "autoresearch", path), "autoresearch", "honest",
                    "training", "honest-code", "public-example")


def lay_modded(layout, mirror):
    paths = ["train_gpt.py", "train_gpt_medium.py", "triton_kernels.py", "dc_triton_kernels.py"]
    paths += sorted(mirror.match("records/*/train*.py"))
    for path in paths:
        if path in mirror.paths:
            layout.case(layout.copy(mirror, "modded-nanogpt", path), "modded-nanogpt", "honest",
                        "training", "honest-code", "public-example")


def lay_kernelbench(layout, mirror):
    for path in sorted(mirror.match("src/kernelbench/prompts/*.py")):
        layout.case(layout.copy(mirror, "kernelbench", path), "kernelbench", "honest", "kernel",
                    "honest-code", "public-example")
    for name, (category, mechanism) in sorted(KERNELBENCH_ADVERSARIAL.items()):
        path = f"src/kernelbench/unit_tests/test_kernels/{name}.py"
        layout.case(layout.copy(mirror, "kernelbench-adversarial", path), "kernelbench-adversarial",
                    "hack", "kernel", category, mechanism, "yes")


LAYERS = (("pygpubench", lay_pygpubench), ("sol", lay_sol), ("autoresearch", lay_autoresearch),
          ("modded", lay_modded), ("kernelbench", lay_kernelbench))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    for name, _ in LAYERS:
        parser.add_argument(f"--{name}", metavar="GIT_DIR")
    args = parser.parse_args(argv)
    layout = Layout(args.out)
    header = ["# Public corpora of issue 18, laid out by bench/public_corpus_layout.py."]
    for name, lay in LAYERS:
        git_dir = getattr(args, name)
        if not git_dir:
            continue
        try:
            mirror = Mirror(git_dir)
        except (OSError, subprocess.CalledProcessError) as e:
            print(f"public_corpus_layout: error: --{name} {git_dir}: {e}", file=sys.stderr)
            return 2
        header.append(f"# {name}: {git_dir} at {mirror.commit}")
        lay(layout, mirror)
    if not layout.lines:
        print("public_corpus_layout: error: no corpus given", file=sys.stderr)
        return 2
    with open(os.path.join(args.out, "MANIFEST.txt"), "w") as f:
        f.write("\n".join(header + layout.lines) + "\n")
    for line in header[1:]:
        print(f"public_corpus_layout: {line[2:]}")
    summary = ", ".join(f"{src} {kind} {n}" for (src, kind), n in sorted(layout.counts.items()))
    print(f"public_corpus_layout: {len(layout.lines)} cases ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
