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
. bench/lib.sh
bench_init "$backend"
token=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['affiliate_v2']['token'])" "$work/demo.json")
bench_serve

echo "--- $backend: push leads (routed to the internal CRM), $conns connections, ${secs}s, 2 wrk threads"
LEAD_TOKEN="$token" RUN_ID="w$$" wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/leads_push.lua "http://127.0.0.1:$port" | sed -n '1,20p'
echo "--- $backend: fixed rate 1000 leads/s, open loop, 64 connections, ${secs}s"
python3 bench/open_loop.py "http://127.0.0.1:$port" "$token" 1000 "$secs" 64
echo "RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
bench_stop

bench_raw_insert "$conns"
