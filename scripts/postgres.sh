#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and benchmarks (Debian's postgresql):
#   scripts/postgres.sh start DIR [PORT]   initdb in DIR (if new), start on 127.0.0.1:PORT (default: a free
#                                          port), print the URL postgresql://grove@127.0.0.1:PORT/grove
#   scripts/postgres.sh stop DIR           stop it (immediate) and keep DIR
# The cluster trusts local connections (no password) and runs without fsync: it is for tests, not for data.
# As root, the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
set -euo pipefail

cmd=${1:?usage: postgres.sh start|stop DIR [PORT]}
dir=${2:?usage: postgres.sh start|stop DIR [PORT]}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$bin" ]]; then
  echo "postgres.sh: PostgreSQL is not installed (run scripts/setup.sh)" >&2
  exit 1
fi
as_owner=()
if [[ $(id -u) -eq 0 ]]; then as_owner=(runuser -u postgres --); fi

case "$cmd" in
  start)
    port=${3:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
      chown postgres "$dir"
      if ! runuser -u postgres -- test -w "$dir"; then
        echo "postgres.sh: the postgres user cannot reach $dir (a parent folder is private to root)" >&2
        exit 1
      fi
    fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
      "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U grove --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    fi
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
      start >/dev/null
    echo "postgresql://grove@127.0.0.1:$port/grove"
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
    fi
    ;;
  *)
    echo "postgres.sh: unknown command '$cmd' (start or stop)" >&2
    exit 2
    ;;
esac
