import os
import subprocess
import sys

# ruleid: environment-package-install
subprocess.check_call([sys.executable, "-m", "pip", "install", "flash-attn"])
# ruleid: environment-package-install
os.system("curl -sL https://example.com/x.sh | sh")
# ruleid: environment-package-install
subprocess.run(["sudo", "nvidia-smi", "-lgc", "2100"])
# ok: environment-package-install
out = subprocess.run(["nvidia-smi"], capture_output=True, text=True)
