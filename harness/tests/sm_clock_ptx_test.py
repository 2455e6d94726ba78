#!/usr/bin/env python3
"""The worker's SM clock probe (SM_CLOCK_PTX in harness/python/referee_worker.py) is valid PTX:
ptxas assembles it for sm_90 and the entry point is there. Usage: sm_clock_ptx_test.py PTXAS WORKER
"""
import re
import subprocess
import sys
import tempfile

ptxas, worker = sys.argv[1:3]
with open(worker) as f:
    m = re.search(r'SM_CLOCK_PTX = b"""(.*?)"""', f.read(), re.S)
if not m:
    sys.exit("no SM_CLOCK_PTX in " + worker)
ptx = m.group(1)
assert ".entry referee_sm_clock(" in ptx, "entry point renamed"
assert "%globaltimer" in ptx and "%clock64" in ptx
with tempfile.TemporaryDirectory() as d:
    src, out = d + "/clock.ptx", d + "/clock.cubin"
    with open(src, "w") as f:
        f.write(ptx)
    p = subprocess.run([ptxas, "-arch=sm_90", "-v", src, "-o", out], capture_output=True, text=True)
    print(p.stdout + p.stderr)
    if p.returncode != 0:
        sys.exit("ptxas rejected the SM clock probe")
    # A broken copy must fail, or this test proves nothing.
    with open(src, "w") as f:
        f.write(ptx.replace("%clock64", "%clock65"))
    if subprocess.run([ptxas, "-arch=sm_90", src, "-o", out], capture_output=True).returncode == 0:
        sys.exit("ptxas accepted a broken probe")
print("ok: SM clock probe assembles for sm_90")
