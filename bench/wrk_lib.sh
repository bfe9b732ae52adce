# Shared by the wrk benchmarks (http_bench.sh, serving_bench.sh); source it.
# Defines: $NGINX, $work (a temporary folder removed on exit, with every pid in
# `pids` killed), wait_port, run_wrk, start_nginx, stop_last. Needs wrk and nginx
# (scripts/setup.sh --bench installs them). The caller sets DURATION.

command -v wrk >/dev/null || { echo "wrk not found (scripts/setup.sh --bench)" >&2; exit 2; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x $NGINX ]] || { echo "nginx not found (scripts/setup.sh --bench)" >&2; exit 2; }

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_port() {  # Waits until something accepts on 127.0.0.1:$1.
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listening on port $1" >&2
  return 1
}

# Runs wrk -t1 and sets WRK_RPS, WRK_P50 and WRK_P99 (as wrk prints them, e.g.
# "1.20ms"); extra arguments go to wrk. Any non-2xx answer is an error.
measure_wrk() {
  local label=$1 url=$2 conns=$3 out
  shift 3
  out=$(wrk -t1 -c"$conns" -d"$DURATION" --latency "$@" "$url")
  if grep -q "Non-2xx" <<<"$out"; then echo "$out" >&2; echo "error: $label got non-2xx answers" >&2; exit 1; fi
  WRK_RPS=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  WRK_P50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  WRK_P99=$(awk '$1 == "99%" {print $2}' <<<"$out")
}

# Prints "label conns req/s p50 p99" from one wrk -t1 run (measure_wrk's arguments).
run_wrk() {
  measure_wrk "$@"
  printf '%-34s %5s %12s %10s %10s\n' "$1" "$3" "$WRK_RPS" "$WRK_P50" "$WRK_P99"
}

# A wrk latency ("850.00us", "4.70ms", "1.02s") in microseconds.
latency_us() {
  awk -v t="$1" 'BEGIN { n = t + 0; u = t; sub(/^[0-9.]+/, "", u)
    printf "%.0f", u == "us" ? n : u == "ms" ? n * 1000 : u == "s" ? n * 1e6 : u == "m" ? n * 6e7 : n }'
}

print_header() { printf '%-34s %5s %12s %10s %10s\n' server conns req/s p50 p99; }

# Starts nginx (one worker, keep-alive throughout, open files cached: nginx at
# its best) serving folder $1 on 127.0.0.1:$2 with Content-Type $3.
start_nginx() {
  local root=$1 port=$2 type=$3
  mkdir -p "$work/logs"
  chmod -R a+rX "$root"
  cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  open_file_cache max=64;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi;
  scgi_temp_path $work/scgi;
  server {
    listen 127.0.0.1:$port;
    root $root;
    default_type $type;
  }
}
CONF
  "$NGINX" -p "$work" -c "$work/nginx.conf" &
  pids+=($!)
  wait_port "$port"
}

stop_last() { kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; }
