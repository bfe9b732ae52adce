#!/usr/bin/env bash
# Queued batch inference benchmark (the inference queue), all in one run:
#   (a) ROWS churn-100x-shaped rows (label + 100 features) in FILES files for one
#       dimension, enqueued with `grove queue enqueue` (one transaction per file);
#   (b) answered by `grove queue work --until-empty` (WORKERS threads, BATCH
#       messages per lease) into the predictions table, exactly once (leases,
#       one settling transaction per batch): rows/s end to end, process start
#       and model load included;
#   (c) the same rows' model invoked one request at a time over HTTP
#       (`grove server`, wrk -c1, and -c32 for the best case of many clients).
#
# Usage: bench/queue_bench.sh [build dir, default build]
#   ROWS=100000 FILES=10 WORKERS=2 BATCH=512 DURATION=10s
# Needs wrk (scripts/setup.sh --bench installs it).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${1:-build}
GROVE=$BUILD/grove
ROWS=${ROWS:-100000}
FILES=${FILES:-10}
WORKERS=${WORKERS:-2}
BATCH=${BATCH:-512}
DURATION=${DURATION:-10s}
PORT=${GROVE_PORT:-18085}
[[ -x $GROVE ]] || { echo "$GROVE not found: build first (make build)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk not found (scripts/setup.sh --bench)" >&2; exit 2; }

work=$(mktemp -d)
server=
cleanup() { [[ -n $server ]] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export GROVE_HOME=$work/home
now() { date +%s.%N; }

# --- A model for DummyDim2 on the multi-model endpoint "fleet" ---------------
python3 - "$work" "$ROWS" "$FILES" <<'PY'
import os, random, sys
work, rows, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(7)
header = "Churn?_True.," + ",".join(f"Feature_{i}" for i in range(100)) + "\n"
def lines(n):
    out = []
    for _ in range(n):
        cells = [random.random() for _ in range(100)]
        out.append(("1" if cells[0] + cells[1] > 1 else "0") + "," + ",".join(f"{c:.6f}" for c in cells))
    return "\n".join(out) + "\n"
open(f"{work}/train.csv", "w").write(header + lines(2000))
os.makedirs(f"{work}/inference/DummyDim2")
for i in range(files):
    open(f"{work}/inference/DummyDim2/part{i:03d}.csv", "w").write(header + lines(rows // files))
open(f"{work}/row.csv", "w").write(lines(1).split(",", 1)[1])
PY
cat >"$work/dimtrain.yaml" <<'YAML'
pipeline: dimtrain
parameters:
  InputData: {type: String}
steps:
  - name: Prep
    type: Processing
    arguments: {input: {Get: Parameters.InputData}, header: true, label: "Churn?_True.",
                split: {train: 0.8, test: 0.2, seed: 1}}
  - name: Train
    type: Training
    arguments:
      train: {Get: Steps.Prep.Outputs.train}
      hyperparameters: {objective: "binary:logistic", num_round: 50, max_depth: 5, eta: 0.2}
  - name: Register
    type: RegisterModel
    arguments: {group: DummyDim2-model-registry, model: {Get: Steps.Train.Outputs.model}, approval_status: Approved}
YAML
"$GROVE" run "$work/dimtrain.yaml" -q -p InputData="$work/train.csv"
"$GROVE" endpoint create fleet --multi-model --follow '*-model-registry' >/dev/null

# --- (a) enqueue, (b) work ----------------------------------------------------
start=$(now)
for f in "$work"/inference/DummyDim2/*.csv; do "$GROVE" queue enqueue "$f" --dim DummyDim2 >/dev/null; done
enqueued=$(now)
"$GROVE" queue work --workers "$WORKERS" --batch "$BATCH" --until-empty >/dev/null
done_at=$(now)
recorded=$("$GROVE" queue list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"]["done"])')
[[ $recorded == "$ROWS" ]] || { echo "error: $recorded of $ROWS rows recorded" >&2; exit 1; }
left=$(find "$work/inference/DummyDim2" -maxdepth 1 -name "*.csv" | wc -l)
[[ $left == 0 ]] || { echo "error: $left files not moved to processed/" >&2; exit 1; }
awk -v rows="$ROWS" -v a="$start" -v b="$enqueued" -v c="$done_at" -v w="$WORKERS" -v batch="$BATCH" 'BEGIN {
  printf "queued batch inference, %d rows x 100 features, %d workers, batch %d, exactly once\n", rows, w, batch
  printf "  %-44s %8.2f s %10.0f rows/s\n", "enqueue (grove queue enqueue per file)", b - a, rows / (b - a)
  printf "  %-44s %8.2f s %10.0f rows/s\n", "work into predictions (queue work)", c - b, rows / (c - b)
  printf "  %-44s %8.2f s %10.0f rows/s\n", "end to end", c - a, rows / (c - a)
}'

# --- (c) the same rows one request at a time over HTTP -------------------------
"$GROVE" server --listen "127.0.0.1:$PORT" --auth off --queue-workers 0 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done
row=$(cat "$work/row.csv")
printf 'wrk.method = "POST"\nwrk.body = "%s"\nwrk.headers["Content-Type"] = "text/csv"\nwrk.headers["X-Grove-Model"] = "DummyDim2-model-registry"\n' "$row" >"$work/one.lua"
curl -sf -X POST -H 'Content-Type: text/csv' -H 'X-Grove-Model: DummyDim2-model-registry' --data "$row" \
  "http://127.0.0.1:$PORT/endpoints/fleet/invocations" >/dev/null
for conns in 1 32; do
  out=$(wrk -t1 -c"$conns" -d"$DURATION" --latency -s "$work/one.lua" "http://127.0.0.1:$PORT/endpoints/fleet/invocations")
  if grep -q "Non-2xx" <<<"$out"; then echo "$out" >&2; exit 1; fi
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  awk -v rows="$ROWS" -v rps="$rps" -v c="$conns" 'BEGIN {
    printf "  %-44s %8.2f s %10.0f rows/s (nothing recorded)\n", sprintf("HTTP, one row per request, %d conn(s)", c), rows / rps, rps }'
done
