#!/usr/bin/env python3
"""Every JSON document referee writes validates against docs/schema/ (schema_version 2).

Runs the real binary: `audit --format json` (clean and with findings), `eval --json` (a PASS,
a FAIL, hot mode), `compare --json`, `sandbox run --format json`, `train-eval --format json` (a
PASS, a REJECTED), `rules list --format json`;
each must validate, and a deliberately broken copy of each must not (so the schema checks
something). Usage: validate_reports.py REFEREE SOURCE_ROOT
Needs Debian's python3-jsonschema (/usr/bin/python3).
"""
import copy
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

REFEREE, ROOT = sys.argv[1], sys.argv[2]
SCHEMAS = os.path.join(ROOT, "docs", "schema")


def load(name):
    with open(os.path.join(SCHEMAS, name)) as f:
        return json.load(f)


def validator(name):
    schema = load(name)
    common = load("common.schema.json")
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource
        registry = Registry().with_resources(
            [(common["$id"], Resource.from_contents(common)),
             (schema["$id"], Resource.from_contents(schema))])
        return jsonschema.Draft202012Validator(schema, registry=registry)
    except ImportError:  # Debian bookworm's 4.10
        resolver = jsonschema.RefResolver(schema["$id"], schema,
                                          store={common["$id"]: common, schema["$id"]: schema})
        return jsonschema.Draft202012Validator(schema, resolver=resolver)


def referee(*args, ok=(0, 1)):
    p = subprocess.run([REFEREE, *args], capture_output=True, text=True, cwd=ROOT, timeout=600)
    if p.returncode not in ok:
        raise SystemExit("referee %s: exit %d\n%s" % (" ".join(args), p.returncode, p.stderr[-3000:]))
    return json.loads(p.stdout)


FAILURES = []


def check(schema, doc, what, breakers):
    v = validator(schema)
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        FAILURES.append("%s: %s at %s" % (what, errors[0].message, list(errors[0].path)))
        return
    for label, breaker in breakers:
        bad = copy.deepcopy(doc)
        breaker(bad)
        if v.is_valid(bad):
            FAILURES.append("%s: still valid after %s (the schema checks too little)" % (what, label))
    print("ok", what)


def drop(key):
    return ("dropping %s" % key, lambda d: d.pop(key))


def main():
    cpu = "kernels/cpu/vector_add"
    quick = ["--quick", "--call-timeout", "3"]
    check("audit.schema.json", referee("audit", "--format", "json", "examples/"), "audit examples/",
          [drop("findings"), ("schema_version 1", lambda d: d.update(schema_version=1))])
    with tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "hack.py")
        with open(bad, "w") as f:
            f.write("import gc\n\ndef run(x):\n    for o in gc.get_objects():\n        pass\n"
                    "    return x\n")
        check("audit.schema.json", referee("audit", "--json", bad, "--fail-on", "note"),
              "audit with findings", [("a finding without a rule id",
                                       lambda d: d["findings"] and d["findings"][0].pop("rule_id")
                                       or d.pop("files"))])
    passed = referee("eval", "--task", cpu, "--candidate", cpu + "/candidates/honest.py", "--json",
                     *quick)
    assert passed["verdict"] == "PASS", passed.get("failure")
    check("eval.schema.json", passed, "eval PASS",
          [drop("environment"), ("a workload without samples",
                                 lambda d: d["workloads"][0].pop("samples_s")),
           ("a PASS with a failure", lambda d: d.update(failure={"check": "x", "reason": "y"}))])
    failed = referee("eval", "--task", cpu, "--candidate", cpu + "/candidates/cache_output.py",
                     "--json", *quick)
    assert failed["verdict"] == "FAIL"
    check("eval.schema.json", failed, "eval FAIL", [drop("failure")])
    hot = referee("eval", "--task", cpu, "--candidate", cpu + "/candidates/honest.py", "--json",
                  "--mode", "hot", "--repeat", "2", *quick)
    check("eval.schema.json", hot, "eval hot", [("mode warm", lambda d: d.update(mode="warm"))])
    cmp = referee("compare", "--task", cpu, cpu + "/candidates/honest.py",
                  cpu + "/candidates/honest.py", "--json", *quick)
    check("compare.schema.json", cmp, "compare",
          [("verdict 'better'", lambda d: d.update(verdict="better") if d["valid"] else d.pop("failure"))])
    if subprocess.run([REFEREE, "sandbox", "check"], capture_output=True).returncode == 0:
        train = "kernels/training/licenses_cpu"
        run = referee("train-eval", "--task", train, "--candidate", train + "/candidates/baseline",
                      "--seeds", "2", "--budget", "8", "--format", "json")
        check("train-eval.schema.json", run, "train-eval PASS",
              [drop("tests"), ("a PASS with a failure",
                               lambda d: d.update(failure={"check": "x", "reason": "y"})),
               ("a seed without its metric", lambda d: d["seeds"][0].update(metric="low"))])
        bad = referee("train-eval", "--task", train, "--candidate",
                      train + "/candidates/hack_fixed_file_changed", "--format", "json")
        check("train-eval.schema.json", bad, "train-eval REJECTED", [drop("failure")])
    rules = referee("rules", "list", "--format", "json", ok=(0,))
    assert rules["schema_version"] == 2 and rules["rules"], "rules list --format json"
    print("ok rules list")
    sandbox = subprocess.run([REFEREE, "sandbox", "check"], capture_output=True, text=True)
    if sandbox.returncode == 0:
        run = referee("sandbox", "run", "--profile", "python", "--format", "json", "--",
                      "/bin/echo", "hi", ok=(0,))
        check("sandbox-run.schema.json", run, "sandbox run",
              [drop("violations"), ("an unknown status", lambda d: d.update(status="fine"))])
    else:
        print("skip sandbox run: this host cannot sandbox")
    for f in FAILURES:
        print("FAILED", f)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
