#!/usr/bin/env bash
# The main scenario on the bundled data: run the Abalone regression and the
# customer-churn classification pipelines, then list the registered versions.
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

cat <<MSG

Data folder: $GROVE_HOME (delete it to start over). Next:
  $grove execution list
  $grove execution steps <execution id>
  $grove run examples/abalone.yaml -p MseThreshold=5.5     # a second run is served from cache
  $grove registry approve AbalonePackageGroup/1 --comment "looks good"
MSG
