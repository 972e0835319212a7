#!/usr/bin/env bash
# Transfer benchmark (docs/benchmarks.md, issue 5): money moved over HTTP by wrk, durable
# commits on (SQLite synchronous=FULL; PostgreSQL synchronous_commit=on, no TLS on loopback).
#   random: 16 clients, each request a transfer of 0.01 between two random wallets of one
#           customer (POST /api/wallets/transfer, the customer's own token);
#   hot:    every request a staff manual DEPOSIT into a random wallet, so every transfer
#           debits the one manual cash-clearing house account.
# A warm-up of the same load runs first (WARMUP seconds, default 5; see bench_analyze).
# Afterwards: ledger transfers counted against wrk's requests, `brokercrm ledger verify`, and
# the raw single-row durable INSERT rate of the same database.
# Usage: bench/transfers.sh [sqlite|postgres] [random|hot] [connections] [seconds] [wallets]
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; mode="${2:-random}"; conns="${3:-16}"; secs="${4:-20}"; nwallets="${5:-200}"
. bench/lib.sh
bench_init "$backend"
bench_serve

# Set-up over HTTP: $nwallets USD wallets of the demo customer, each funded with 1,000,000.
role=customer; [ "$mode" = hot ] && role=admin
eval "$(python3 bench/demo_wallets.py "http://127.0.0.1:$port" "$work/demo.json" "$nwallets" 1000000 "$role")"

count_transfers() { bench_sql "SELECT count(*) FROM ledger_transfers"; }
# Warm-up (WARMUP seconds, default 5; 0 skips it), then statistics (bench_analyze).
if [ "${WARMUP:-5}" != 0 ]; then
  MODE="$mode" RUN_ID="w$$" wrk -t2 -c"$conns" -d"${WARMUP:-5}s" -s bench/transfers.lua "http://127.0.0.1:$port" > /dev/null
  bench_analyze
fi
before=$(count_transfers)
echo "--- $backend $mode: $conns connections, ${secs}s, $nwallets wallets, 2 wrk threads"
MODE="$mode" RUN_ID="b$$" wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/transfers.lua "http://127.0.0.1:$port" | sed -n '1,22p'
echo "RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
bench_stop
after=$(count_transfers)
echo "ledger transfers written during the run: $((after - before))"
echo "--- brokercrm ledger verify"
"$bin" ledger verify --database-url "$url" | tail -n 5

bench_raw_insert "$conns"
