#!/usr/bin/env bash
# Installs the Debian packages Grove's build, tests and benchmarks need (npm packages: the build runs `npm ci`).
# Does nothing when they are all present. Safe to run repeatedly.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libxgboost-dev xgboost libsqlite3-dev libssl-dev libyaml-cpp-dev nlohmann-json3-dev
  libcli11-dev libfast-float-dev libgtest-dev libgmock-dev libbenchmark-dev libboost-dev libeigen3-dev zlib1g-dev
  libcurl4-openssl-dev
  # The PostgreSQL metadata store (libpq), and the server its tests start in a temporary folder
  # (scripts/postgres.sh).
  libpq-dev postgresql
  # SageMaker Processing steps run their scripts with Debian's python3 and its scientific stack, in a
  # bubblewrap sandbox (src/pipeline/steps/sagemaker_processing_step.cc).
  bubblewrap python3-sklearn python3-pandas python3-xgboost python3-boto3
  # Hooks' end-to-end test mails to a local SMTP sink (tests/python/hooks_test.py).
  python3-aiosmtpd
  # The console's browser tests (tests/browser/) drive Debian's chromium with playwright-core from npm;
  # no browser is downloaded.
  chromium fonts-dejavu-core
  # The Slurm launcher's end-to-end tests and benchmark start a one-node Slurm cluster of their own
  # (tests/slurm/slurm_cluster.sh): controller, node daemon and the munge authentication daemon.
  slurm-wlm munge
  # The CI examples read grove's --json output with jq (examples/ci/deploy.sh, tests/ci_example_test.sh);
  # `make package` asks dpkg-shlibdeps (dpkg-dev) for the .deb's dependencies.
  jq dpkg-dev
)
# The console is built with npm (src/web/package-lock.json, installed by the build with `npm ci`). A machine
# that has Node.js from elsewhere keeps it; otherwise Debian's.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--fuzz" ]]; then
  packages+=(clang libclang-rt-dev)  # make fuzz: clang with libFuzzer and its sanitizer runtimes (fuzz/run.sh)
fi
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(hyperfine wrk nginx valgrind)  # valgrind: bench/serving_profile.sh (callgrind)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
