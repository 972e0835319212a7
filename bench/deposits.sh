#!/usr/bin/env bash
# Provider-deposit benchmark (issue 20, hot accounts): signed `completed` callbacks of the test
# payment provider over HTTP by wrk. Every completed deposit debits the provider's one USD
# cash-clearing house account, which the deposit lane updates once per batch. Set-up over
# HTTP: <deposits> pending deposits of 0.01 started by the demo customer over <wallets>
# wallets, one signed callback each prepared in a file; wrk then sends them (a run that
# outlasts them starts over with redeliveries: 200, nothing posted). Afterwards: deposits
# completed and DEPOSIT transfers written during the run, `brokercrm ledger verify`, and the
# raw single-row durable INSERT rate of the same database.
# Usage: bench/deposits.sh [sqlite|postgres] [connections] [seconds] [deposits] [wallets]
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; conns="${2:-16}"; secs="${3:-20}"; ndeposits="${4:-20000}"; nwallets="${5:-50}"
. bench/lib.sh
bench_init "$backend"
bench_serve

echo "--- set-up: $ndeposits pending deposits over $nwallets wallets"
python3 bench/deposit_callbacks.py "http://127.0.0.1:$port" "$work/demo.json" "$ndeposits" "$nwallets" "$work/callbacks.tsv"

completed() { bench_sql "SELECT count(*) FROM payment_requests WHERE kind = 'deposit' AND status = 'completed'"; }
before=$(completed)
echo "--- $backend provider callbacks: $conns connections, ${secs}s, 2 wrk threads"
CALLBACKS="$work/callbacks.tsv" THREADS=2 wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/deposits.lua "http://127.0.0.1:$port" | sed -n '1,22p'
echo "RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
bench_stop
after=$(completed)
echo "deposits completed during the run: $((after - before)) of $ndeposits"
echo "DEPOSIT transfers from the test provider's clearing account: $(bench_sql "SELECT count(*) FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.debit_account_id WHERE a.key LIKE 'provider:test:%'")"
echo "--- brokercrm ledger verify"
"$bin" ledger verify --database-url "$url" | tail -n 5

bench_raw_insert "$conns"
