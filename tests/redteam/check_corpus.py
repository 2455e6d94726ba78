#!/usr/bin/env python3
"""Keeps the red-team corpus honest (issue 18, item 3): every case has a well-formed header that
agrees with its folder, every Python file parses, every C++/CUDA file has balanced delimiters, and
the corpus holds at least 60 hacks and 25 honest look-alikes. It does not run the audit: recall is
a bench number (bench/redteam_bench.sh), not a unit test.

usage: check_corpus.py [ROOT] [--min-hacks N] [--min-honest N]
Prints one `path:line: error: message` per problem and exits 1 if there is any.
"""

import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LAYOUT = {"kernels": "kernel", "training": "training"}
CPP_EXTENSIONS = (".cu", ".cuh", ".cc", ".cpp", ".cxx", ".h", ".hpp")
PAIRS = {")": "(", "]": "[", "}": "{"}


def python_error(path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    try:
        compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as e:
        return f"{path}:{e.lineno or 1}:{e.offset or 1}: error: {e.msg}"
    return None


def _strip_cpp(text):
    """Yields (char, line) of code outside comments, string and character literals. Raw string
    literals R"d(...)d" are skipped whole."""
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            line += text.count("\n", i, end)
            i = end
            continue
        if text.startswith('R"', i):
            open_paren = text.find("(", i + 2)
            delim = text[i + 2:open_paren]
            end = text.find(")" + delim + '"', open_paren)
            end = n if end < 0 else end + len(delim) + 2
            line += text.count("\n", i, end)
            i = end
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        yield c, line
        i += 1


def cpp_error(path):
    """Balanced (), [] and {} outside comments and literals: a cheap syntax sanity check that
    needs no CUDA toolkit (the audit's Clang front end parses these files for real)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    stack = []
    for c, line in _strip_cpp(text):
        if c in "([{":
            stack.append((c, line))
        elif c in PAIRS:
            if not stack or stack[-1][0] != PAIRS[c]:
                return f"{path}:{line}: error: unbalanced '{c}'"
            stack.pop()
    if stack:
        return f"{path}:{stack[-1][1]}: error: '{stack[-1][0]}' is never closed"
    return None


def layout_errors(case, root):
    rel = os.path.relpath(case.path, root).split(os.sep)
    if len(rel) < 3 or rel[0] not in LAYOUT or rel[1] not in corpus.KINDS:
        return [f"{case.origin}: error: cases live under kernels|training/hack|honest/"]
    errors = []
    if case.fields["context"] != LAYOUT[rel[0]]:
        errors.append(f"{case.origin}: error: context={case.fields['context']} but the case is "
                      f"under {rel[0]}/")
    if case.kind != rel[1]:
        errors.append(f"{case.origin}: error: kind={case.kind} but the case is under {rel[1]}/")
    return errors


def check(root, min_hacks, min_honest):
    """Returns (errors, counts) for the corpus under root."""
    errors = []
    cases = []
    for top in sorted(LAYOUT):
        found, errs = corpus.discover(os.path.join(root, top))
        cases += found
        errors += errs
    for case in cases:
        errors += layout_errors(case, root)
        for path in case.files:
            if path.endswith(".py"):
                problem = python_error(path)
            elif path.endswith(CPP_EXTENSIONS):
                problem = cpp_error(path)
            else:
                problem = None
            if problem:
                errors.append(problem)
    counts = collections.Counter((c.fields["context"], c.kind, c.static) for c in cases)
    hacks = sum(v for (_, kind, _), v in counts.items() if kind == "hack")
    honest = sum(v for (_, kind, _), v in counts.items() if kind == "honest")
    if hacks < min_hacks:
        errors.append(f"{root}:1: error: {hacks} hacks, the corpus needs at least {min_hacks}")
    if honest < min_honest:
        errors.append(f"{root}:1: error: {honest} honest look-alikes, the corpus needs at least "
                      f"{min_honest}")
    return errors, counts


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=HERE)
    parser.add_argument("--min-hacks", type=int, default=60)
    parser.add_argument("--min-honest", type=int, default=25)
    args = parser.parse_args(argv)
    errors, counts = check(args.root, args.min_hacks, args.min_honest)
    for line in errors:
        print(line)
    summary = ", ".join(f"{ctx} {kind}{'' if static == 'n/a' else ' static=' + static}: {n}"
                        for (ctx, kind, static), n in sorted(counts.items()))
    print(f"check_corpus: {sum(counts.values())} cases ({summary}); {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
