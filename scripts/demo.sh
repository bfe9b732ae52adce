#!/usr/bin/env bash
# The main scenario on the bundled data: run the Abalone regression and the
# customer-churn classification pipelines, list the registered versions,
# approve the newest of each, deploy both to one multi-model endpoint and
# predict a raw row with each.
# Usage: scripts/demo.sh <path to grove binary>
set -euo pipefail
grove=${1:-build/grove}
cd "$(dirname "$0")/.."
export GROVE_HOME=${GROVE_HOME:-.grove}

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

step grove run examples/abalone.yaml
"$grove" run examples/abalone.yaml
step grove run examples/churn.yaml
"$grove" run examples/churn.yaml

step grove registry versions AbalonePackageGroup
"$grove" registry versions AbalonePackageGroup
step grove registry versions CustomerChurnPackageGroup
"$grove" registry versions CustomerChurnPackageGroup

# The newest version of a group, from `registry versions --json`.
newest() { "$grove" registry versions "$1" --json | grep -o '"version": [0-9]*' | tail -1 | grep -o '[0-9]*$'; }
# Approves the newest version unless it is approved already (the demo may run again).
approve() {
  local ref="$1/$(newest "$1")"
  if "$grove" registry show "$ref" --json | grep -q '"approval_status": "Approved"'; then return; fi
  step grove registry approve "$ref" --comment '"demo"'
  "$grove" registry approve "$ref" --comment "demo"
}
approve AbalonePackageGroup
approve CustomerChurnPackageGroup

if ! "$grove" endpoint show demo >/dev/null 2>&1; then
  step grove endpoint create demo --multi-model --follow AbalonePackageGroup --follow CustomerChurnPackageGroup
  "$grove" endpoint create demo --multi-model --follow AbalonePackageGroup --follow CustomerChurnPackageGroup
fi
abalone_row="M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15"
churn_row="SC,15,836,158-8416,yes,no,0,10.01899266,4,4.226288822,2.325004553,0,9.972592415,7.141039872,200,6.436187619,3.221747623,6,2.559749162,8"
step grove invoke demo --model AbalonePackageGroup --input raw --data "\"$abalone_row\""
"$grove" invoke demo --model AbalonePackageGroup --input raw --data "$abalone_row"
step grove invoke demo --model CustomerChurnPackageGroup --input raw --data "\"$churn_row\""
"$grove" invoke demo --model CustomerChurnPackageGroup --input raw --data "$churn_row"

cat <<MSG

Data folder: $GROVE_HOME (delete it to start over). To keep serving over HTTP:
  $grove server                      # http://127.0.0.1:8080, Ctrl-C stops it; its first start makes an admin key
                                     # the web console: open http://127.0.0.1:8080/ and sign in with that key
  curl -H "Authorization: Bearer \$(sed -n 's/.*"secret_access_key": "\\(.*\\)".*/\\1/p' $GROVE_HOME/admin-key.json)" \\
       -d '{"model": "AbalonePackageGroup", "input": "raw", "data": "$abalone_row"}' \\
       localhost:8080/api/v1/endpoints/demo/invocations
Next:
  $grove execution list
  $grove endpoint show demo
  $grove run examples/abalone.yaml -p MseThreshold=5.5     # a second run is served from cache
MSG
