#!/usr/bin/env python3
"""The CPU demo's honest proposer (search/README.md "Proposer protocol").

Reads one request on stdin and answers on stdout with real improvements of the parent:
larger blocks first (a parameter proposal), then one vectorized add (a whole-file proposal);
after that it has nothing left to propose. It also checks that no secret reached it.
"""
import json
import os
import sys


def main():
    request = json.load(sys.stdin)
    if any("DEMO_SECRET" in name for name in os.environ):
        print("a secret reached the proposer", file=sys.stderr)
        return 3
    source = request["parent"]["files"]["seed.py"]
    if "BLOCK = 16 " in source:
        answer = {"params": {"BLOCK": 256},
                  "rationale": "16x fewer Python iterations: blocks of 256 elements",
                  "cost": {"usd": 0.0, "tokens": 0}}
    elif "for i in range" in source:
        head, rest = source.split("# referee: begin-editable\n", 1)
        _, tail = rest.split("# referee: end-editable\n", 1)
        body = "def run(x, y):\n    return torch.add(x, y)\n"
        answer = {"files": {"seed.py": head + "# referee: begin-editable\n" + body +
                            "# referee: end-editable\n" + tail},
                  "rationale": "one vectorized add instead of a loop over blocks"}
    else:
        answer = {"proposals": []}
    json.dump(answer, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
