#!/usr/bin/env bash
# A one-node, CPU-only Slurm for tests (issue 14 item 2): munged, slurmctld and slurmd from
# Debian's slurm-wlm packages (scripts/setup.sh installs them), everything private to DIR
# (default /tmp/referee-slurm): its own munge key and socket, its own ports, state in DIR,
# so that it neither needs nor disturbs a system Slurm. Runs as root.
#   tests/slurm/local_slurm.sh start [DIR]   # prints "export SLURM_CONF=DIR/slurm.conf"
#   tests/slurm/local_slurm.sh stop [DIR]
# The node is the machine as `slurmd -C` sees it (hostname, CPUs, RealMemory). No cgroup
# plugins: the CI machine has cgroup v1 controllers beside an empty v2 hierarchy, so
# proctrack/linuxproc and task/none. A start stops what a previous start left running.
set -euo pipefail
cmd=${1:-}
dir=${2:-/tmp/referee-slurm}

stop_pid() {  # the daemon whose pid file is in our directory, and only it
  local f=$1
  [ -f "$f" ] || return 0
  local pid; pid=$(cat "$f" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

stop() {
  stop_pid "$dir/slurmd.pid"
  stop_pid "$dir/slurmctld.pid"
  stop_pid "$dir/munged.pid"
}

write_conf() {
  local node; node=$(slurmd -C | head -1)  # NodeName=<host> CPUs=.. ... RealMemory=..
  cat > "$dir/slurm.conf" <<CONF
ClusterName=referee
SlurmctldHost=$(hostname -s)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
# Schedule a batch job when it is submitted (the default defers up to 3 s: batch_sched_delay).
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=30
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
}

start() {
  for tool in munged slurmctld slurmd sbatch squeue scontrol sinfo; do
    command -v "$tool" >/dev/null || { echo "local_slurm: $tool not installed (scripts/setup.sh --deps)" >&2; exit 1; }
  done
  stop
  rm -rf "$dir/state" "$dir/spool"
  mkdir -p "$dir/state" "$dir/spool"
  chmod 700 "$dir"
  [ -f "$dir/munge.key" ] || { dd if=/dev/urandom bs=1 count=1024 of="$dir/munge.key" 2>/dev/null; }
  chmod 400 "$dir/munge.key"
  # munged checks that its files belong to its user and are not writable by others.
  munged --force --key-file="$dir/munge.key" --socket="$dir/munge.socket" \
    --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munged.seed"
  write_conf
  export SLURM_CONF=$dir/slurm.conf
  slurmctld -c -f "$SLURM_CONF"
  slurmd -f "$SLURM_CONF"
  local node; node=$(hostname -s)
  for _ in $(seq 60); do
    state=$(sinfo -h -n "$node" -o %T 2>/dev/null || true)
    case "$state" in
      idle*|mixed*|alloc*) echo "export SLURM_CONF=$SLURM_CONF"; return 0 ;;
      down*|drain*) scontrol update nodename="$node" state=resume 2>/dev/null || true ;;
    esac
    sleep 0.5
  done
  echo "local_slurm: the node did not come up (state '${state:-none}'); logs in $dir" >&2
  tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
  exit 1
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac
