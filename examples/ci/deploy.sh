#!/bin/sh
# Publish a pipeline, run it, wait, and deploy the model it registered when
# that version is Approved. Both CI examples (github-actions.yml,
# gitlab-ci.yml) call it; tests/ci_example_test.sh runs it on a fresh data folder.
#
# Usage: deploy.sh PIPELINE_FILE MODEL_GROUP ENDPOINT [-p Name=Value ...]
# Environment:
#   GROVE    the grove command (default: grove)
#   TIMEOUT  how long the run may take (default: 30m)
#   and where grove works, as grove reads it: GROVE_HOME, or GROVE_DB and
#   GROVE_ARTIFACTS for a shared store (the deploy step works on the store,
#   not through GROVE_URL).
# Exit: 0 when deployed, or skipped (the model was not good enough: the run
# exited 6; or the new version awaits approval). Otherwise grove's code:
# 1 failed, 2 bad input, 3 internal, 4 stopped, 5 timed out.
# The last line says what happened: "result: deployed G/N to E" or
# "result: skipped (why)"; on GitHub Actions it is also the step output
# `result` (deployed or skipped).
set -eu

if [ $# -lt 3 ]; then
  echo "usage: deploy.sh PIPELINE_FILE MODEL_GROUP ENDPOINT [-p Name=Value ...]" >&2
  exit 2
fi
file=$1
group=$2
endpoint=$3
shift 3
GROVE=${GROVE:-grove}
TIMEOUT=${TIMEOUT:-30m}
if ! command -v jq >/dev/null 2>&1; then
  echo "deploy.sh: needs jq to read grove's --json output" >&2
  exit 2
fi

result() {
  echo "result: $1${2:+ ($2)}"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "result=$1" >>"$GITHUB_OUTPUT"; fi
}

echo "== 1. publish $file"
$GROVE pipeline push "$file"

echo "== 2. run and wait (at most $TIMEOUT)"
code=0
run=$($GROVE --json run "$file" --wait --timeout "$TIMEOUT" "$@") || code=$?
case $code in
  0) ;;
  6)
    result skipped "the model was not good enough: the pipeline ended at its Fail step"
    exit 0
    ;;
  5)
    echo "the run did not end within $TIMEOUT" >&2
    exit 5
    ;;
  *)
    echo "the run ended with exit code $code" >&2
    exit "$code"
    ;;
esac
execution=$(printf '%s\n' "$run" | jq -r '.id')
echo "execution $execution succeeded"

echo "== 3. check the newest version of $group"
newest=$($GROVE --json registry versions "$group" | jq -r 'max_by(.version) | "\(.version) \(.approval_status) \(.execution_id)"')
version=${newest%% *}
rest=${newest#* }
status=${rest%% *}
registered_by=${rest#* }
if [ "$registered_by" != "$execution" ]; then
  result skipped "execution $execution registered no version of $group"
  exit 0
fi
if [ "$status" != Approved ]; then
  result skipped "$group/$version is $status: approve it (grove registry approve $group/$version), then deploy"
  exit 0
fi

echo "== 4. deploy $group/$version to $endpoint"
if $GROVE endpoint show "$endpoint" >/dev/null 2>&1; then
  $GROVE endpoint deploy "$endpoint" "$group/$version" --comment "CI: execution $execution"
else
  $GROVE endpoint create "$endpoint" --deploy "$group/$version"
fi
result deployed "$group/$version to $endpoint"
