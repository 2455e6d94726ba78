import importlib
import os
import shutil
import prepare
from pathlib import Path

# ruleid: harness-tampering-fixed-file-write
with open("prepare.py", "a") as f:
    f.write("EVAL_TOKENS = 1024\n")
# ruleid: harness-tampering-fixed-file-write
shutil.copy("my_prepare.py", prepare.__file__)
# ruleid: harness-tampering-fixed-file-write
importlib.reload(prepare)
# ruleid: harness-tampering-fixed-file-write
Path("results.tsv").write_text("commit\tval_bpb\n")
# ok: harness-tampering-fixed-file-write
with open(__file__) as f:
    code = f.read()
# ok: harness-tampering-fixed-file-write
with open("logs/run1.txt", "w") as f:
    f.write(code)
