"""The red-team corpus model: cases, their headers, and how to find them (issue 18, item 3).

A case is one submission: a single file whose first lines carry a header, or a folder whose
MANIFEST file carries it (multi-file submissions). A header is one line

    # redteam: kind=hack category=output-caching mechanism=pointer-keyed-output-cache static=yes context=kernel

(`//` instead of `#` in C++/CUDA; no comment marker in a MANIFEST). An external corpus (fetched
public code) is described by a manifest file instead, one case per line:

    PATH key=value key=value ...

with PATH (a file or a folder) relative to the manifest's directory and `#` comment lines.

Used by check_corpus.py (ctest) and bench/redteam_bench.py. Standard library only.
"""

import os
import re

HEADER_RE = re.compile(r"^\s*(?:#|//)?\s*redteam:\s*(?P<fields>.*?)\s*$")
FIELD_RE = re.compile(r"^(?P<key>[a-z_]+)=(?P<value>[A-Za-z0-9_.,+/#-]+)$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

KINDS = ("hack", "honest")
CONTEXTS = ("kernel", "training")
REQUIRED = ("kind", "category", "mechanism", "context")
OPTIONAL = ("static", "ref", "format", "lang", "embedded", "obfuscation", "entry", "source")

# Catalogue categories: shared/research/kernel-evaluators.md §7 (kernel), training-hacks.md §7
# (training), sandbox.md §8 (process-escape). Slugs, so that a header stays one token per field.
CATEGORIES = {
    "kernel": (
        "stream-tricks", "thread-injection", "lazy-outputs", "harness-tampering",
        "output-caching", "persistent-state", "env-fs-state", "memory-reuse", "input-mutation",
        "reference-fallback", "precision-abuse", "shape-specialization", "timing-tricks",
        "others", "process-escape",
    ),
    "training": (
        "eval-tampering", "data-leakage", "timing", "harness-tampering", "seed-variance",
        "environment",
    ),
}

SOURCE_EXTENSIONS = (".py", ".cu", ".cuh", ".cc", ".cpp", ".cxx", ".h", ".hpp")
MANIFEST = "MANIFEST"
HEADER_LINES = 5  # the header must sit in a file's first lines (after a shebang, say)


class CorpusError(Exception):
    """A malformed case; the message is `path:line: error: text`."""


class Case:
    """One submission: its header fields and the files that make it up."""

    def __init__(self, path, fields, files, origin):
        self.path = path        # the file, or the folder of a multi-file case
        self.fields = fields    # dict of header fields
        self.files = files      # sorted list of source files to audit
        self.origin = origin    # where the header was read: "path:line"

    @property
    def kind(self):
        return self.fields["kind"]

    @property
    def static(self):
        return self.fields.get("static", "n/a")

    def get(self, key, default=""):
        return self.fields.get(key, default)

    def __repr__(self):
        return f"Case({self.path!r}, {self.fields!r})"


def error(path, line, text):
    return CorpusError(f"{path}:{line}: error: {text}")


def parse_fields(text, where, strict=True):
    """Parses `key=value ...` into a dict and validates it. `where` is (path, line)."""
    fields = {}
    for token in text.split():
        m = FIELD_RE.match(token)
        if not m:
            raise error(*where, f"malformed header field '{token}' (want key=value)")
        key, value = m.group("key"), m.group("value")
        if key in fields:
            raise error(*where, f"header field '{key}' given twice")
        if key not in REQUIRED and key not in OPTIONAL:
            raise error(*where, f"unknown header field '{key}'")
        fields[key] = value
    validate(fields, where, strict)
    return fields


def validate(fields, where, strict):
    for key in REQUIRED:
        if key not in fields:
            raise error(*where, f"header lacks '{key}='")
    if fields["kind"] not in KINDS:
        raise error(*where, f"kind must be one of {', '.join(KINDS)}, not '{fields['kind']}'")
    if fields["context"] not in CONTEXTS:
        raise error(*where, f"context must be one of {', '.join(CONTEXTS)}")
    for key in ("category", "mechanism"):
        if not SLUG_RE.match(fields[key]):
            raise error(*where, f"{key} '{fields[key]}' is not a kebab-case slug")
    if strict and fields["category"] not in CATEGORIES[fields["context"]]:
        raise error(*where, f"category '{fields['category']}' is not a {fields['context']} "
                            f"catalogue category ({', '.join(CATEGORIES[fields['context']])})")
    if fields["kind"] == "hack":
        if fields.get("static") not in ("yes", "no"):
            raise error(*where, "a hack needs static=yes or static=no")
    elif "static" in fields:
        raise error(*where, "static= is for hacks only")


def read_header(path, strict=True):
    """Returns (fields, line) of the file's header, or None when its first lines hold none."""
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, start=1):
            if number > HEADER_LINES:
                break
            m = HEADER_RE.match(line)
            if m and "redteam:" in line:
                return parse_fields(m.group("fields"), (path, number), strict), number
    return None


def manifest_header(folder, strict=True):
    path = os.path.join(folder, MANIFEST)
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if not stripped.startswith("redteam:"):
                raise error(path, number, "expected a 'redteam: key=value ...' line")
            return parse_fields(stripped[len("redteam:"):], (path, number), strict), number
    raise error(path, 1, "MANIFEST has no 'redteam:' line")


def source_files(folder):
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found += [os.path.join(root, n) for n in files if n.endswith(SOURCE_EXTENSIONS)]
    return sorted(found)


def folder_case(folder, strict=True):
    fields, line = manifest_header(folder, strict)
    files = source_files(folder)
    if not files:
        raise error(os.path.join(folder, MANIFEST), line, "the case folder holds no source file")
    entry = fields.get("entry")
    if entry and not os.path.isfile(os.path.join(folder, entry)):
        raise error(os.path.join(folder, MANIFEST), line, f"entry '{entry}' is not in the folder")
    return Case(folder, fields, files, f"{os.path.join(folder, MANIFEST)}:{line}")


def discover(root, strict=True):
    """Cases under `root` (the corpus layout). Returns (cases, errors); a source file without a
    header is an error, so nothing in the corpus escapes the count."""
    cases, errors = [], []
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        if "__pycache__" in dirs:
            dirs.remove("__pycache__")
        if dirpath != root and MANIFEST in files:
            dirs[:] = []  # the whole folder is one case
            try:
                cases.append(folder_case(dirpath, strict))
            except (CorpusError, OSError) as e:
                errors.append(str(e))
            continue
        for name in sorted(files):
            if not name.endswith(SOURCE_EXTENSIONS):
                continue
            path = os.path.join(dirpath, name)
            try:
                header = read_header(path, strict)
            except (CorpusError, OSError) as e:
                errors.append(str(e))
                continue
            if header is None:
                errors.append(f"{path}:1: error: no 'redteam:' header in the first "
                              f"{HEADER_LINES} lines")
                continue
            cases.append(Case(path, header[0], [path], f"{path}:{header[1]}"))
    return cases, errors


def load_manifest(manifest_path, strict=False):
    """Cases listed in an external manifest (PATH key=value ...). Returns (cases, errors)."""
    base = os.path.dirname(os.path.abspath(manifest_path))
    cases, errors = [], []
    with open(manifest_path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            rel, _, rest = stripped.partition(" ")
            path = os.path.normpath(os.path.join(base, rel))
            try:
                fields = parse_fields(rest, (manifest_path, number), strict)
                if os.path.isdir(path):
                    files = source_files(path)
                elif os.path.isfile(path):
                    files = [path]
                else:
                    raise error(manifest_path, number, f"'{rel}' does not exist")
                if not files:
                    raise error(manifest_path, number, f"'{rel}' holds no source file")
                cases.append(Case(path, fields, files, f"{manifest_path}:{number}"))
            except CorpusError as e:
                errors.append(str(e))
    return cases, errors
