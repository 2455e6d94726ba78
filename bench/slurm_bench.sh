#!/usr/bin/env bash
# Slurm's side of a search's scaling (issue 14 item 5, docs/scaling.md), on the local one-node
# Slurm of the tests (tests/slurm/local_slurm.sh; started here, stopped at the end):
#   - sbatch calls/s submitting one single-job array each (a comparison is one such job),
#   - array elements/s submitted as one sbatch --array of N (a round's quick or full batch),
#   - the squeue poll the executor makes once a second, in ms,
#   - jobs/s run to completion (trivial jobs: slurmctld + slurmd launch overhead; bound by
#     this node's CPUs).
#   bench/slurm_bench.sh [N]      (default 200; runs as root)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-200}
dir=/tmp/referee-slurm
eval "$("$here/tests/slurm/local_slurm.sh" start "$dir")"
trap '"$here/tests/slurm/local_slurm.sh" stop "$dir"' EXIT
work=$(mktemp -d /tmp/referee-slurm-bench-XXXXXX)
printf '#!/bin/sh\ntrue\n' > "$work/job.sh"
now() { date +%s.%N; }
rate() { python3 -c "import sys; print('%.1f' % (float(sys.argv[1]) / (float(sys.argv[3]) - float(sys.argv[2]))))" "$@"; }
wait_empty() { while [ -n "$(squeue -h -n referee-bench -o %i)" ]; do sleep 0.2; done; }

singles=$(( n < 100 ? n : 100 ))
t0=$(now)
for _ in $(seq "$singles"); do
  sbatch --parsable --job-name=referee-bench --array=0-0 --output=/dev/null "$work/job.sh" >/dev/null
done
t1=$(now)
wait_empty
t2=$(now)
echo "slurm: $(rate "$singles" "$t0" "$t1") sbatch calls/s (one single-job array each, $singles calls)"
echo "slurm: $(rate "$singles" "$t0" "$t2") jobs/s submitted and run to completion ($singles single jobs, $(nproc) CPUs)"

t0=$(now)
array=$(sbatch --parsable --job-name=referee-bench --array=0-$((n - 1)) --output=/dev/null "$work/job.sh")
t1=$(now)
q0=$(now)
for _ in $(seq 20); do squeue -h -r -o %i -j "$array" >/dev/null 2>&1 || true; done
q1=$(now)
wait_empty
t2=$(now)
echo "slurm: $(rate "$n" "$t0" "$t1") array elements/s submitted (one sbatch --array of $n)"
echo "slurm: squeue poll of a $n-element array: $(python3 -c "print('%.1f' % (($q1 - $q0) / 20 * 1000))") ms"
echo "slurm: $(rate "$n" "$t0" "$t2") jobs/s run to completion (the array of $n, $(nproc) CPUs)"
rm -rf "$work"
