#!/usr/bin/env bash
# Lead-intake benchmark (docs/benchmarks.md): distinct leads pushed through the affiliate API
# v2 and routed to the internal CRM, durable commits on (SQLite synchronous=FULL; PostgreSQL
# synchronous_commit=on), with wrk (Debian package) and a Lua body generator; beside it the raw
# single-row durable INSERT rate of the same database; then a fixed 1,000 leads/s (open loop,
# bench/open_loop.py) for the p99 target.
# PostgreSQL is reached over loopback without TLS (sslmode=disable), pgbench too.
# Usage: bench/leads.sh [sqlite|postgres] [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; conns="${2:-32}"; secs="${3:-20}"
target="${CARGO_TARGET_DIR:-$(pwd)/target}"
cargo build --release -q --bin brokercrm
bin="$target/release/brokercrm"
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
case "$backend" in
  sqlite) url="sqlite://$work/bench.db?mode=rwc" ;;
  postgres)
    db="bcrm_bench_$$"
    psql -qX -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" postgres
    url="postgres://postgres@127.0.0.1:5432/$db?sslmode=disable" ;;
  *) echo "backend: sqlite or postgres" >&2; exit 2 ;;
esac
export BROKERCRM_LOG_LEVEL=warn BROKERCRM_FILES_DIR="$work/files" BROKERCRM_METRICS=false
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true
  [ "$backend" = postgres ] && psql -qX -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" postgres
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" demo --database-url "$url" --out "$work/demo.json" > /dev/null
token=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['affiliate_v2']['token'])" "$work/demo.json")
"$bin" serve --listen "127.0.0.1:$port" --database-url "$url" > "$work/server.log" 2>&1 &
pid=$!
until curl -fs "http://127.0.0.1:$port/api/health" >/dev/null; do sleep 0.05; done

echo "--- $backend: push leads (routed to the internal CRM), $conns connections, ${secs}s, 2 wrk threads"
LEAD_TOKEN="$token" RUN_ID="w$$" wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/leads_push.lua "http://127.0.0.1:$port" | sed -n '1,20p'
echo "--- $backend: fixed rate 1000 leads/s, open loop, 64 connections, ${secs}s"
python3 bench/open_loop.py "http://127.0.0.1:$port" "$token" 1000 "$secs" 64
echo "RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

if [ "$backend" = postgres ]; then bench/raw_insert.sh postgres "$db" "$conns"; else bench/raw_insert.sh sqlite "$work"; fi
