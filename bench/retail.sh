#!/usr/bin/env bash
# Market-data (seed 003) benchmark (docs/benchmarks.md, issue 17), on the demo data set:
#   token:   POST /api/v1/token {"accountId", "withDetails": true} for the demo account with an
#            active subscription (key check from the cache, account + entitled filters read,
#            an Ed25519 JWT signed) — target >= 5,000/s at 32 connections, p99 < 20 ms;
#   accounts: POST /api/v1/accounts with a new e-mail each time — target >= 1,000/s.
# Every answer is checked: a token run counts only 200s with status OK (wrk counts non-2xx).
# Usage: bench/retail.sh [sqlite|postgres] [connections] [seconds]   (one command per database;
#        BENCH_BIN=path/to/release/brokercrm skips the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; conns="${2:-32}"; secs="${3:-20}"
. bench/lib.sh
bench_init "$backend"
bench_serve
read -r MD_KEY MD_ACCOUNT < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["retail_services"]
print(r["api_key"], r["active_account_id"])' "$work/demo.json")
export MD_KEY MD_ACCOUNT
curl -fsS -H "Authorization: Bearer $MD_KEY" -H 'Content-Type: application/json' \
  -d "{\"accountId\":\"$MD_ACCOUNT\",\"withDetails\":true}" "http://127.0.0.1:$port/api/v1/token" \
  | python3 -c 'import json,sys; b=json.load(sys.stdin); assert b["status"]=="OK", b; print("sample token answer: OK, details", b["details"])'
echo "--- warm-up 3 s"
wrk -t2 -c"$conns" -d3s -s bench/retail_token.lua "http://127.0.0.1:$port" > /dev/null
echo "--- $backend: POST /api/v1/token, $conns connections, ${secs}s"
wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/retail_token.lua "http://127.0.0.1:$port" | sed -n '2,18p'
before=$(bench_sql "SELECT count(*) FROM md_accounts")
echo "--- $backend: POST /api/v1/accounts, $conns connections, ${secs}s"
RUN_ID="r$$" wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/retail_accounts.lua "http://127.0.0.1:$port" | sed -n '2,18p'
after=$(bench_sql "SELECT count(*) FROM md_accounts")
echo "accounts written: $((after - before)) ($(( (after - before) / secs ))/s)"
