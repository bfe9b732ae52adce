#!/usr/bin/env bash
# A one-node Slurm cluster of its own in DIR, for the Slurm launcher's tests and benchmark:
#   slurm_cluster.sh start DIR [CPUS]   writes DIR/slurm.conf (private ports, a private munged socket), starts
#                                       munged, slurmctld and slurmd, and waits for the node to be idle;
#   slurm_cluster.sh stop DIR           stops what start started (by the pids in DIR) and removes DIR.
# Clients reach the cluster with SLURM_CONF=DIR/slurm.conf (DIR/env sets it). The configuration is the one in
# shared/reference/machine-facts.md ("Slurm single node"): proctrack/linuxproc, task/none, no accounting, and
# SchedulerParameters=bf_interval=1,sched_interval=1 so queued jobs start within a second.
# Needs root (slurmd runs jobs as their submitters) and Debian's slurm-wlm and munge: scripts/setup.sh.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR [CPUS]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
action=$1
dir=$2
cpus=${3:-$(nproc)}

# Stops the daemons whose pid files are given: SIGTERM to all at once, SIGKILL to any left after 10 s.
stop_daemons() {
  local pids=() file pid
  for file in "$@"; do
    [[ -s $file ]] && pids+=("$(cat "$file")")
  done
  [[ ${#pids[@]} -gt 0 ]] || return 0
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 200); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && return 0
    sleep 0.05
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}

stop() {
  [[ -d $dir ]] || return 0
  stop_daemons "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munged.pid"
  if [[ -s $dir/munge-dir ]]; then rm -rf "$(cat "$dir/munge-dir")"; fi
  rm -rf "$dir"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
  for tool in munged slurmctld slurmd sinfo sbatch squeue scontrol scancel; do
    if ! command -v "$tool" >/dev/null 2>&1 && [[ ! -x /usr/sbin/$tool ]]; then
      echo "slurm_cluster.sh: $tool is missing: run scripts/setup.sh (it installs Debian's slurm-wlm and munge)" >&2
      exit 1
    fi
  done
  if [[ $(id -u) -ne 0 ]]; then
    echo "slurm_cluster.sh: must run as root (slurmd starts jobs as the users who submit them)" >&2
    exit 1
  fi
  rm -rf "$dir"
  mkdir -p "$dir/state" "$dir/spool"
  dir=$(cd "$dir" && pwd)
  # munged runs as the munge user, which may not reach into DIR (e.g. a private mktemp folder): its
  # socket and files go to a folder of their own under /tmp, removed by stop.
  local munge
  munge=$(mktemp -d /tmp/grove-munge.XXXXXX)
  chmod 755 "$munge"
  echo "$munge" >"$dir/munge-dir"
  local host ctld_port node_port
  host=$(hostname -s)
  ctld_port=$(free_port)
  node_port=$(free_port)
  while [[ $node_port == "$ctld_port" ]]; do node_port=$(free_port); done
  local memory_mb
  memory_mb=$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)
  cat >"$dir/slurm.conf" <<CONF
ClusterName=grove
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$node_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$munge/munge.socket
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
SchedulerParameters=bf_interval=1,sched_interval=1
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MaxArraySize=10001
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
PartitionName=ml Nodes=ALL MaxTime=INFINITE State=UP
CONF
  echo "export SLURM_CONF=$dir/slurm.conf" >"$dir/env"
  export SLURM_CONF=$dir/slurm.conf
  trap 'echo "slurm_cluster.sh: start failed; logs:" >&2; tail -n 20 "$dir"/*.log >&2 || true; stop' ERR
  chown munge:munge "$munge"
  runuser -u munge -- /usr/sbin/munged --socket="$munge/munge.socket" --pid-file="$munge/munged.pid" \
    --seed-file="$munge/munged.seed" --log-file="$munge/munged.log"
  cp "$munge/munged.pid" "$dir/munged.pid"
  /usr/sbin/slurmctld -f "$SLURM_CONF"
  /usr/sbin/slurmd -f "$SLURM_CONF"
  for _ in $(seq 1 300); do
    if [[ $(sinfo -h -o %T 2>/dev/null | head -n 1) == idle ]]; then
      trap - ERR
      return 0
    fi
    sleep 0.05
  done
  echo "slurm_cluster.sh: the node did not become idle within 15 s" >&2
  false
}

case $action in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
