#!/bin/sh
# examples/ci/deploy.sh, which both CI examples call, run on a fresh data
# folder with the Abalone example, so the examples cannot rot: a model not
# good enough is skipped (the run exits 6), a Pending one is not deployed,
# an Approved one is deployed, and a second one is deployed onto the endpoint.
# Needs GROVE_BINARY and GROVE_SOURCE_DIR (CTest sets them); exits 77
# (skipped) without jq.
set -eu
command -v jq >/dev/null 2>&1 || { echo "jq not found: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GROVE="$GROVE_BINARY" GROVE_HOME="$work/grove" TIMEOUT=10m
unset GROVE_URL GROVE_DB GROVE_ARTIFACTS
cd "$GROVE_SOURCE_DIR"  # Abalone's default data path is relative to it.
deploy() { sh examples/ci/deploy.sh examples/abalone.yaml AbalonePackageGroup abalone-ci "$@"; }
expect() {  # expect TEXT OUTPUT
  case $2 in
    *"$1"*) ;;
    *) echo "FAIL: expected '$1' in:"; echo "$2"; exit 1 ;;
  esac
}

out=$(deploy -p MseThreshold=0.5)
expect "result: skipped (the model was not good enough" "$out"
if $GROVE endpoint show abalone-ci >/dev/null 2>&1; then echo "FAIL: deployed a model not good enough"; exit 1; fi

out=$(deploy)
expect "result: skipped (AbalonePackageGroup/1 is PendingManualApproval" "$out"

out=$(deploy -p ModelApprovalStatus=Approved)
expect "result: deployed (AbalonePackageGroup/2 to abalone-ci)" "$out"
out=$(deploy -p ModelApprovalStatus=Approved)
expect "result: deployed (AbalonePackageGroup/3 to abalone-ci)" "$out"
$GROVE --json endpoint show abalone-ci | jq -e '.models[0].version == 3' >/dev/null \
  || { echo "FAIL: abalone-ci does not serve version 3"; $GROVE endpoint show abalone-ci; exit 1; }

# A bad definition is bad input (2), and the script passes grove's code on.
code=0
sh examples/ci/deploy.sh "$work/missing.yaml" G e >/dev/null 2>&1 || code=$?
[ "$code" = 2 ] || { echo "FAIL: a missing file exited $code, not 2"; exit 1; }
echo "PASS"
