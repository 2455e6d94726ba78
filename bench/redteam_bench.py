#!/usr/bin/python3
"""Recall and false positives of `referee audit` on the red-team corpus (issue 18, item 3).

Runs `referee audit --format json` on every case and prints, per context and catalogue category,
how many hacks have a finding at warning or above (split static=yes / static=no), how many
honest look-alikes do (false positives), and the misses. A bench, not a test: it prints numbers
and exits 0 unless it could not measure.

usage: redteam_bench.py [--referee PATH] [--corpus DIR]... [--manifest FILE]... [--json OUT]
                        [--min-severity warning|error] [-j N] [--quiet]
Default: --corpus tests/redteam. A --corpus DIR holds cases with headers (tests/redteam/README.md);
a --manifest FILE lists external cases, one `PATH key=value ...` line each.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "redteam"))
import corpus  # noqa: E402

SEVERITY = {"note": 0, "warning": 1, "error": 2}


def show(path):
    """A path as printed: relative to the source tree when inside it."""
    path = os.path.abspath(path)
    return os.path.relpath(path, ROOT) if path.startswith(ROOT + os.sep) else path


def load_cases(corpus_dirs, manifests):
    cases, errors = [], []
    for root in corpus_dirs:
        tops = [os.path.join(root, t) for t in ("kernels", "training")
                if os.path.isdir(os.path.join(root, t))] or [root]
        for top in tops:
            found, errs = corpus.discover(top, strict=False)
            cases += found
            errors += errs
    for manifest in manifests:
        found, errs = corpus.load_manifest(manifest)
        cases += found
        errors += errs
    return cases, errors


def run_audit(referee, files, jobs):
    """Returns (report dict or None, stderr, exit code) of one audit over `files`."""
    cmd = [referee, "audit", "--format", "json", "--fail-on", "error"]
    if jobs:
        cmd += ["-j", str(jobs)]
    proc = subprocess.run(cmd + files, capture_output=True, text=True)
    try:
        return json.loads(proc.stdout), proc.stderr, proc.returncode
    except json.JSONDecodeError:
        return None, proc.stderr, proc.returncode


def audit(referee, cases, jobs):
    """Audits all files in one run; if that run yields no report (a crash), audits case by case
    so that one bad file loses no other result. Returns (findings by path, errors by path)."""
    files = sorted({os.path.abspath(p) for c in cases for p in c.files})
    reports = []
    report, err, rc = run_audit(referee, files, jobs)
    if report is not None:
        reports.append(report)
    else:
        print(f"redteam_bench: the audit of all files gave no report (exit {rc}): "
              f"{err.strip().splitlines()[-1:] or ''}; auditing case by case", file=sys.stderr)
        for case in cases:
            one, err, rc = run_audit(referee, [os.path.abspath(p) for p in case.files], jobs)
            if one is None:
                one = {"files": [{"path": os.path.abspath(p), "status": "crash",
                                  "error": f"audit exit {rc}: {err.strip()[-200:]}"}
                                 for p in case.files], "findings": []}
            reports.append(one)
    findings = collections.defaultdict(list)
    errors = {}
    for rep in reports:
        for f in rep.get("findings", []):
            findings[os.path.abspath(f["path"])].append(f)
        for f in rep.get("files", []):
            if f.get("status", "ok") != "ok":
                why = f.get("error") or "; ".join(f.get("notes", [])[:1])
                errors[os.path.abspath(f["path"])] = f"{f.get('status')}: {why}"
    return findings, errors


class Outcome:
    def __init__(self, case, findings, errors, min_level):
        self.case = case
        self.findings = [f for p in case.files for f in findings.get(os.path.abspath(p), [])]
        self.errors = [f"{show(p)}: {errors[os.path.abspath(p)]}" for p in case.files
                       if os.path.abspath(p) in errors]
        self.hits = [f for f in self.findings if SEVERITY.get(f["severity"], 0) >= min_level]
        self.flagged = bool(self.hits)

    def rule_ids(self, findings):
        return sorted({f"{f['rule_id']}({f['severity']})" for f in findings})


def pct(a, b):
    return f"{a}/{b} ({100.0 * a / b:.1f}%)" if b else "0/0"


def frac(a, b):
    return f"{a}/{b}" if b else "-"


def print_hack_table(hacks):
    print("hacks caught, by context and category:")
    print(f"  {'context':9}{'category':22}{'static=yes':>12}{'static=no':>11}{'all':>9}")
    groups = collections.defaultdict(list)
    for o in hacks:
        groups[(o.case.fields["context"], o.case.fields["category"])].append(o)
    for (ctx, cat), items in sorted(groups.items()):
        yes = [o for o in items if o.case.static == "yes"]
        no = [o for o in items if o.case.static == "no"]
        print(f"  {ctx:9}{cat:22}{frac(sum(o.flagged for o in yes), len(yes)):>12}"
              f"{frac(sum(o.flagged for o in no), len(no)):>11}"
              f"{frac(sum(o.flagged for o in items), len(items)):>9}")


def print_summary(hacks, honest):
    def recall(items):
        return pct(sum(o.flagged for o in items), len(items))
    yes = [o for o in hacks if o.case.static == "yes"]
    no = [o for o in hacks if o.case.static == "no"]
    print(f"recall: static=yes {recall(yes)}, static=no {recall(no)}, all {recall(hacks)}")
    for ctx in corpus.CONTEXTS:
        sub = [o for o in hacks if o.case.fields["context"] == ctx]
        sub_yes = [o for o in sub if o.case.static == "yes"]
        if sub:
            print(f"  {ctx}: static=yes {recall(sub_yes)}, all {recall(sub)}")
    plain = [o for o in yes if not o.case.get("obfuscation")]
    obf = [o for o in yes if o.case.get("obfuscation")]
    print(f"  static=yes plain {recall(plain)}, obfuscated {recall(obf)}")
    sources = sorted({o.case.get("source") for o in hacks + honest if o.case.get("source")})
    for src in sources:
        h = [o for o in hacks if o.case.get("source") == src]
        k = [o for o in honest if o.case.get("source") == src]
        print(f"  source {src}: hacks caught {recall(h) if h else '-'}, "
              f"honest flagged {pct(sum(o.flagged for o in k), len(k)) if k else '-'}")
    print(f"honest look-alikes flagged: {pct(sum(o.flagged for o in honest), len(honest))}")


def print_details(hacks, honest, quiet):
    for o in honest:
        if o.flagged:
            print(f"  FALSE POSITIVE {show(o.case.path)}: {', '.join(o.rule_ids(o.hits))}")
    misses = sorted((o for o in hacks if not o.flagged),
                    key=lambda o: (o.case.static != "yes", o.case.fields["context"],
                                   o.case.fields["category"], o.case.path))
    if misses and not quiet:
        print(f"misses ({len(misses)}):")
        for o in misses:
            c = o.case
            notes = o.rule_ids(o.findings)
            print(f"  {c.fields['context']}/{c.fields['category']}/{c.fields['mechanism']} "
                  f"static={c.static} {show(c.path)}" + (f"  [below threshold: {', '.join(notes)}]"
                                                    if notes else ""))
    by_status = collections.defaultdict(list)
    for o in hacks + honest:
        for e in o.errors:
            by_status[e.split(": ", 2)[1]].append(e)
    titles = {"partial": "files the audit analysed only partly",
              "skipped": "files the audit skipped"}
    for status, errs in sorted(by_status.items()):
        print(f"{titles.get(status, f'files the audit could not analyse ({status})')} "
              f"({len(errs)}):")
        for e in errs:
            print(f"  {e}")


def to_json(outcomes, meta):
    return dict(meta, cases=[{
        "path": o.case.path, "fields": o.case.fields, "flagged": o.flagged,
        "rule_ids": sorted({f["rule_id"] for f in o.hits}),
        "below_threshold": sorted({f["rule_id"] for f in o.findings} -
                                  {f["rule_id"] for f in o.hits}),
        "errors": o.errors} for o in outcomes])


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referee", default=os.path.join(ROOT, "build", "cli", "referee"))
    parser.add_argument("--corpus", action="append", default=[])
    parser.add_argument("--manifest", action="append", default=[])
    parser.add_argument("--json")
    parser.add_argument("--min-severity", choices=("warning", "error"), default="warning")
    parser.add_argument("-j", type=int, default=0)
    parser.add_argument("--quiet", action="store_true", help="no list of misses")
    args = parser.parse_args(argv)
    if not args.corpus and not args.manifest:
        args.corpus = [os.path.join(ROOT, "tests", "redteam")]
    if not os.access(args.referee, os.X_OK):
        print(f"redteam_bench: {args.referee} not built", file=sys.stderr)
        return 2
    cases, errors = load_cases(args.corpus, args.manifest)
    for e in errors:
        print(f"redteam_bench: {e}", file=sys.stderr)
    if not cases:
        print("redteam_bench: no cases", file=sys.stderr)
        return 2
    start = time.monotonic()
    findings, audit_errors = audit(args.referee, cases, args.j)
    elapsed = time.monotonic() - start
    level = SEVERITY[args.min_severity]
    outcomes = [Outcome(c, findings, audit_errors, level) for c in cases]
    hacks = [o for o in outcomes if o.case.kind == "hack"]
    honest = [o for o in outcomes if o.case.kind == "honest"]
    nfiles = len({p for c in cases for p in c.files})
    where = ", ".join(show(p) for p in args.corpus + args.manifest)
    print(f"redteam_bench: {where}: {len(hacks)} hacks, {len(honest)} honest look-alikes "
          f"({nfiles} files); audit {elapsed:.1f} s; caught = a finding at "
          f"{args.min_severity} or above")
    print_hack_table(hacks)
    print_summary(hacks, honest)
    print_details(hacks, honest, args.quiet)
    if args.json:
        meta = {"argv": argv, "min_severity": args.min_severity, "audit_seconds": elapsed}
        with open(args.json, "w") as f:
            json.dump(to_json(outcomes, meta), f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
