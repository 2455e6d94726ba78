#!/usr/bin/env bash
# GPU controls for the sandbox (issue #5, sandbox.md §8 rows 12, 24-27, 31, 36), run on the
# GPU machine from the repository root:  bash tests/gpu/sandbox_gpu.sh
# Needs .deps/ (seccomp.h, libseccomp.a, nlohmann) where the system has no libseccomp headers.
# Prints one "PASS|FAIL <case>: ..." line per case and a summary; exit 1 if any case failed.
set -u
ROOT=$(pwd)
B=${BUILD_DIR:-$ROOT/build-gpu-sandbox}
W=$(mktemp -d /tmp/referee-gpu-XXXXXX)
chmod 755 "$W"
FAILS=0
log() { echo "[$(date +%T)] $*"; }

log "build"
cmake -S "$ROOT" -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release -DREFEREE_WITH_ANALYZERS=OFF \
  -DREFEREE_WITH_HARNESS=OFF -DREFEREE_BUILD_TESTS=OFF >"$W/cmake.log" 2>&1 &&
  cmake --build "$B" --target referee -j 16 >"$W/build.log" 2>&1 || {
    tail -30 "$W/cmake.log" "$W/build.log"; echo "FAIL build"; exit 1; }
R="$B/cli/referee"
G=$ROOT/tests/gpu/sandbox
mkdir -p "$W/bin"
for p in cuinit vadd spin; do
  nvcc -O2 -o "$W/bin/$p" "$G/$p.cu" -lcuda || { echo "FAIL nvcc $p"; FAILS=$((FAILS+1)); }
done
cp "$G"/*.py "$W/bin/"

log "cgroups: $(cat /proc/self/cgroup | tr '\n' ' ')"
P=/sys/fs/cgroup$(grep '^0::' /proc/self/cgroup | cut -d: -f3)
[ -d "$P" ] && echo "  $P: controllers=[$(cat $P/cgroup.controllers)] subtree=[$(cat $P/cgroup.subtree_control)] procs=$(wc -l <$P/cgroup.procs)"
log "sandbox check"
"$R" sandbox check
DEGRADE=()
for layer in $("$R" sandbox check | awk '$2=="NO"{print $1}'); do DEGRADE+=(--allow-degraded "$layer"); done
if ! "$R" sandbox run --profile kernel "${DEGRADE[@]}" -- /bin/true; then
  log "smoke test failed; retrying without cgroup limits"; DEGRADE+=(--allow-degraded cgroup-limits)
fi
[ ${#DEGRADE[@]} -gt 0 ] && log "running with degraded layers: ${DEGRADE[*]}"

# The sandbox passes no host environment: forward what the image's CUDA/Python need.
ENVS=(--env "PATH=$PATH" --env NCCL_NVLS_ENABLE=0 --env TORCH_SYMM_MEM_DISABLE_MULTICAST=1
      --env NVSHMEM_DISABLE_NVLS=1 --env PYTHONUNBUFFERED=1)
[ -n "${LD_LIBRARY_PATH:-}" ] && ENVS+=(--env "LD_LIBRARY_PATH=$LD_LIBRARY_PATH")
# Python packages outside /usr and /opt are bound read-only at the same path.
for d in $(python3 -c 'import sys; print(" ".join(sorted({p for p in sys.path if p.startswith("/") and not p.startswith(("/usr","/opt","/root","/home"))})))' 2>/dev/null); do
  [ -d "$d" ] && ENVS+=(--bind "$d:$d:ro")
done

# run_case NAME EXPECTED_STATUS PROFILE [referee options...] -- CMD...
run_case() {
  local name=$1 want=$2 profile=$3; shift 3
  local t0=$(date +%s.%N)
  "$R" sandbox run --profile "$profile" --json "${DEGRADE[@]}" "${ENVS[@]}" "$@" >"$W/$name.json" 2>"$W/$name.err"
  python3 - "$W/$name.json" "$want" "$name" "$t0" <<'PY'
import json, sys, time
path, want, name, t0 = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
try:
    r = json.load(open(path))
except Exception as e:
    print(f"FAIL {name}: no result ({e}): {open(path.replace('.json','.err')).read()[-600:]}")
    sys.exit(1)
ok = r["status"] == want
viol = ", ".join(f'{v["syscall"]}x{v["count"]}' for v in r["violations"]) or "none"
print(f'{"PASS" if ok else "FAIL"} {name}: status={r["status"]} (want {want}) exit={r["exit_code"]} '
      f'signal={r["signal"]} wall={r["wall_time_s"]:.2f}s cpu={r["cpu_time_s"]:.2f}s '
      f'peak={r["peak_memory_bytes"]>>20}MiB violations={viol}')
out = r["stdout"].strip().splitlines()
print("    stdout:", " | ".join(out[-4:]))
if not ok:
    print("    reason:", r["reason"])
    print("    stderr:", r["stderr"][-1500:])
sys.exit(0 if ok else 1)
PY
  [ $? -eq 0 ] || FAILS=$((FAILS+1))
}

GPU=(--gpu 0 --bind "$W/bin:/bin-host:ro" --memory 64G --time 240)
log "GPU controls (row 36)"
run_case cuinit ok kernel "${GPU[@]}" -- /bin-host/cuinit
run_case cuda_kernel ok kernel "${GPU[@]}" -- /bin-host/vadd
run_case torch_matmul ok python "${GPU[@]}" -- python3 /bin-host/torch_matmul.py
run_case triton_kernel ok python "${GPU[@]}" -- python3 /bin-host/triton_add.py
run_case torch_compile ok python "${GPU[@]}" -- python3 /bin-host/torch_compile.py
mkdir -p "$W/build-scratch"
run_case nvcc_build ok build --bind "$G:/src:ro" --scratch "$W/build-scratch" --time 240 "${GPU[@]}" -- \
  nvcc -O2 -o /scratch/vadd /src/vadd.cu
run_case nvcc_output_runs ok kernel "${GPU[@]}" --bind "$W/build-scratch:/cand:ro" -- /cand/vadd

log "GPU attacks"
run_case host_memory_bomb oom python --memory 512M -- python3 -c 'x = [bytearray(1 << 26) for _ in range(64)]'

run_case unassigned_nodes ok python "${GPU[@]}" -- /usr/bin/sh -c 'ls /dev | tr "\n" " "; for n in /dev/nvidia1 /dev/nvidia-modeset /dev/dri; do [ -e $n ] && echo " PRESENT $n" && exit 1; done; echo; echo absent'
# Without nodes libcuda tries to create them (ModifyDeviceFiles=1): mknodat is refused and reported.
run_case no_gpu_without_assignment violation kernel --bind "$W/bin:/bin-host:ro" -- /bin-host/cuinit
run_case residue_fill ok python "${GPU[@]}" -- python3 /bin-host/residue.py fill
run_case residue_read ok python "${GPU[@]}" -- python3 /bin-host/residue.py read
B0=$(nvidia-smi --query-gpu=clocks.sm,clocks.mem,persistence_mode,compute_mode,clocks_throttle_reasons.active --format=csv,noheader 2>&1)
run_case gpu_state_change ok python "${GPU[@]}" -- python3 /bin-host/gpu_state.py
echo "gpu state right after: $(nvidia-smi --query-gpu=persistence_mode,compute_mode --format=csv,noheader 2>&1)"
run_case hung_kernel timeout kernel --gpu 0 --bind "$W/bin:/bin-host:ro" --time 8 -- /bin-host/spin
sleep 1
APPS=$(nvidia-smi --query-compute-apps=pid,process_name --format=csv,noheader 2>&1)
if [ -z "$APPS" ]; then echo "PASS no_process_left: nvidia-smi lists no compute process";
else echo "FAIL no_process_left: $APPS"; FAILS=$((FAILS+1)); fi
run_case gpu_usable_after_kill ok kernel "${GPU[@]}" -- /bin-host/vadd
A0=$(nvidia-smi --query-gpu=clocks.sm,clocks.mem,persistence_mode,compute_mode,clocks_throttle_reasons.active --format=csv,noheader 2>&1)
echo "gpu state before: $B0"
echo "gpu state after:  $A0"
# SM clock varies with load; persistence and compute mode must not change.
if [ "$(echo "$B0" | cut -d, -f3,4)" = "$(echo "$A0" | cut -d, -f3,4)" ]; then
  echo "PASS gpu_state_unchanged: persistence/compute mode$(echo "$A0" | cut -d, -f3,4)"
else echo "FAIL gpu_state_unchanged"; FAILS=$((FAILS+1)); fi

# Leave the machine as found, whatever the sandboxed attempts did.
if [ "$(echo "$B0" | cut -d, -f3)" = " Enabled" ] && [ "$(echo "$A0" | cut -d, -f3)" != " Enabled" ]; then
  nvidia-smi -pm 1
fi
log "benchmark"
cmake --build "$B" --target sandbox_bench -j 16 >"$W/bench-build.log" 2>&1 && "$B/sandbox/sandbox_bench" 30

log "done: $FAILS failure(s)"
rm -rf "$W"
[ $FAILS -eq 0 ]
