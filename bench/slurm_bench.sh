#!/usr/bin/env bash
# The cost of running steps as Slurm jobs: 100 concurrent small executions (a chain of 3 cheap Processing
# steps, cache off) on one `grove server`, with the in-process, subprocess and Slurm launchers, in one run.
# Slurm is a one-node cluster started here (tests/slurm/slurm_cluster.sh, CPUs = this machine's cores), so each
# launcher runs as many steps at once as there are cores. Prints the wall time from the first start to the last
# end, and the overhead per step against the in-process launcher: (wall - in-process wall) x cores / steps, the
# extra time each step holds a core, and the extra wall time per step.
# Usage: bench/slurm_bench.sh [build-dir] [executions]. Needs root and scripts/setup.sh's slurm-wlm and munge.
set -euo pipefail
build=${1:-build}
executions=${2:-100}
cd "$(dirname "$0")/.."
[[ $build == /* ]] || build=$PWD/$build
grove=$build/grove
cores=$(nproc)
steps=$((executions * 3))
work=$(mktemp -d)
server=
cleanup() {
  if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  tests/slurm/slurm_cluster.sh stop "$work/slurm" || true
  rm -rf "$work"
}
trap cleanup EXIT
tests/slurm/slurm_cluster.sh start "$work/slurm" "$cores"
export SLURM_CONF=$work/slurm/slurm.conf

cat >"$work/tiny.yaml" <<'EOF'
pipeline: tiny
parameters:
  Run: {type: String, default: "0"}
steps:
  - name: First
    type: Processing
    cache: {enabled: false}
    arguments:
      command: [sh, -c, 'mkdir -p "$GROVE_OUTPUT_OUT" && echo "$0" > "$GROVE_OUTPUT_OUT/x"', {Get: Parameters.Run}]
      outputs: [out]
  - name: Second
    type: Processing
    depends_on: [First]
    cache: {enabled: false}
    arguments:
      command: [sh, -c, 'mkdir -p "$GROVE_OUTPUT_OUT" && echo "$0" > "$GROVE_OUTPUT_OUT/x"', {Get: Parameters.Run}]
      outputs: [out]
  - name: Third
    type: Processing
    depends_on: [Second]
    cache: {enabled: false}
    arguments:
      command: [sh, -c, 'mkdir -p "$GROVE_OUTPUT_OUT" && echo "$0" > "$GROVE_OUTPUT_OUT/x"', {Get: Parameters.Run}]
      outputs: [out]
EOF

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Runs $executions executions of tiny at once on a server with launcher $1; prints the wall seconds.
run_all() {
  local launcher=$1 port
  port=$(free_port)
  export GROVE_HOME=$work/home-$launcher
  "$grove" server --listen "127.0.0.1:$port" --auth off --queue-workers 0 --executor "$launcher" \
    --max-parallel "$([[ $launcher == slurm ]] && echo 256 || echo "$cores")" >"$work/server-$launcher.log" 2>&1 &
  server=$!
  for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
  export GROVE_URL=http://127.0.0.1:$port
  "$grove" pipeline create "$work/tiny.yaml" >/dev/null
  local t0=$EPOCHREALTIME pids=()
  for i in $(seq 1 "$executions"); do
    "$grove" execution start tiny -p "Run=$i" >"$work/run-$launcher-$i.out" 2>&1 &
    pids+=($!)
  done
  local failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
  local t1=$EPOCHREALTIME
  if [[ $failed -gt 0 ]]; then
    echo "slurm_bench: $failed executions failed with the $launcher launcher, e.g.:" >&2
    grep -l -v Succeeded "$work"/run-"$launcher"-*.out | head -1 | xargs cat >&2
    exit 1
  fi
  unset GROVE_URL
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=
  python3 -c "print(f'{$t1 - $t0:.2f}')"
}

echo "$executions concurrent executions x 3 Processing steps ($steps steps), one server, $cores cores;" \
  "Slurm: one node, $cores CPUs, bf_interval=1,sched_interval=1"
local_s=$(run_all in-process)
sub_s=$(run_all subprocess)
slurm_s=$(run_all slurm)
python3 - "$local_s" "$sub_s" "$slurm_s" "$steps" "$cores" <<'EOF'
import sys
local, sub, slurm, steps, cores = map(float, sys.argv[1:])
print(f"  {'launcher':<12} {'wall':>9} {'steps/s':>9} {'overhead per step (core)':>26} {'(wall)':>10}")
for name, wall in (("in-process", local), ("subprocess", sub), ("slurm", slurm)):
    core = (wall - local) * cores / steps * 1000
    extra = (wall - local) / steps * 1000
    print(f"  {name:<12} {wall:>8.2f}s {steps / wall:>9.1f} {core:>23.0f} ms {extra:>7.0f} ms")
EOF
