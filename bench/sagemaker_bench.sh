#!/usr/bin/env bash
# SageMaker control-plane benchmark (issue 9): with 100,000 versions in one
# model package group, boto3's two registry reads against `grove server`:
#   DescribeModelPackage of a random version (by its lowercased ARN, as boto3 users pass it);
#   ListModelPackages of the group at 100 per page, from a random page.
# Goal on the 2-core machine: each at least 5,000 req/s with p99 under 5 ms
# (MLflow's registry is reported to take seconds at thousands of versions).
# `wrk -t1` at 8 and 32 connections; the server with one I/O thread (leaving wrk
# a core) and with two.
#
# Usage: bench/sagemaker_bench.sh [build dir, default build]
#   DURATION=10s  VERSIONS=100000  GROVE_THREADS="1 2"
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${1:-build}
GROVE=$BUILD/grove
DURATION=${DURATION:-10s}
VERSIONS=${VERSIONS:-100000}
GROVE_PORT=${GROVE_PORT:-18085}
GROVE_THREADS=${GROVE_THREADS:-"1 2"}
# The benchmark measures the registry, not signatures: access control is off (loopback only).
GROVE_SERVER_FLAGS=${GROVE_SERVER_FLAGS:---auth off}
for binary in "$GROVE" "$BUILD/registry_setup"; do
  [[ -x $binary ]] || { echo "$binary not found: build first (make build)" >&2; exit 2; }
done
source bench/wrk_lib.sh

export GROVE_HOME=$work/home
start=$(date +%s%N)
"$BUILD/registry_setup" "$GROVE_HOME" BenchModelGroup "$VERSIONS" >/dev/null
echo "registered $VERSIONS versions in $(( ($(date +%s%N) - start) / 1000000 )) ms"

headers='["Content-Type"] = "application/x-amz-json-1.1"'
cat >"$work/describe.lua" <<LUA
request = function()
  local body = string.format('{"ModelPackageName": "arn:aws:sagemaker:us-east-1:123456789012:model-package/benchmodelgroup/%d"}',
                             math.random(1, $VERSIONS))
  return wrk.format("POST", "/", {$headers, ["X-Amz-Target"] = "SageMaker.DescribeModelPackage"}, body)
end
LUA
cat >"$work/list.lua" <<LUA
request = function()
  local body = string.format('{"ModelPackageGroupName": "BenchModelGroup", "MaxResults": 100, "NextToken": "grove-version-%d"}',
                             math.random(1, $VERSIONS - 100))
  return wrk.format("POST", "/", {$headers, ["X-Amz-Target"] = "SageMaker.ListModelPackages"}, body)
end
LUA

print_header
for threads in $GROVE_THREADS; do
  "$GROVE" server --listen "127.0.0.1:$GROVE_PORT" --io-threads "$threads" $GROVE_SERVER_FLAGS >"$work/server.log" 2>&1 &
  pids+=($!)
  wait_port "$GROVE_PORT"
  url="http://127.0.0.1:$GROVE_PORT/"
  curl -sf -H 'X-Amz-Target: SageMaker.DescribeModelPackage' \
       -d '{"ModelPackageName": "BenchModelGroup/1"}' "$url" | grep -q '"ModelPackageVersion":1' ||
    { echo "error: DescribeModelPackage did not answer" >&2; cat "$work/server.log" >&2; exit 1; }
  for conns in 8 32; do
    run_wrk "DescribeModelPackage (io $threads)" "$url" "$conns" -s "$work/describe.lua"
    run_wrk "ListModelPackages 100/page (io $threads)" "$url" "$conns" -s "$work/list.lua"
  done
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
  unset 'pids[-1]'
done
echo "goal: each >= 5000 req/s with p99 < 5 ms"
