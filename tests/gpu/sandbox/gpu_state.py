# GPU attack (sandbox.md §8 row 31): change GPU state through NVML from inside the sandbox.
import subprocess
for args in (["nvidia-smi", "-pm", "0"], ["nvidia-smi", "-lgc", "300,300"], ["nvidia-smi", "-c", "EXCLUSIVE_PROCESS"]):
    p = subprocess.run(args, capture_output=True, text=True)
    print(" ".join(args), "->", p.returncode, " / ".join((p.stdout + p.stderr).strip().splitlines()))
