# GPU attack (sandbox.md §8 row 31): change GPU state through NVML from inside the sandbox.
import subprocess
# "-pm 1" asks for the state the machine already has (persistence on), so a success shows the
# permission without changing anything; the host's settings must stay as they are.
for args in (["nvidia-smi", "-pm", "1"], ["nvidia-smi", "-lgc", "300,300"], ["nvidia-smi", "-c", "EXCLUSIVE_PROCESS"]):
    p = subprocess.run(args, capture_output=True, text=True)
    print(" ".join(args), "->", p.returncode, " / ".join((p.stdout + p.stderr).strip().splitlines()))
