# GPU attack (sandbox.md §8 row 31): change GPU state through NVML from inside the sandbox.
import subprocess
# Each request asks for the state the machine already has (persistence on, default compute
# mode, default clocks), so a success shows the permission without changing anything: the
# host's settings must stay as they are.
for args in (["nvidia-smi", "-pm", "1"], ["nvidia-smi", "-rgc"], ["nvidia-smi", "-c", "DEFAULT"]):
    p = subprocess.run(args, capture_output=True, text=True)
    print(" ".join(args), "->", p.returncode, " / ".join((p.stdout + p.stderr).strip().splitlines()))
