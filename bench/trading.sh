#!/usr/bin/env bash
# Trading round-trip benchmark (docs/benchmarks.md, issue 15): market opens and closes over
# HTTP by wrk, durable commits on (SQLite synchronous=FULL; PostgreSQL synchronous_commit=on).
# The demo customer gets $nwallets funded wallets; each wrk request closes a position its
# thread opened or opens one at market (BTCUSD by default: it trades around the clock) on a
# random wallet. Afterwards: round trips (positions closed during the run), `brokercrm
# ledger verify`, and the raw single-row durable INSERT rate of the same database.
# Usage: bench/trading.sh [sqlite|postgres] [connections] [seconds] [wallets]
#   SYMBOL=EURUSD SIZE=0.1 to trade another instrument.
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; conns="${2:-16}"; secs="${3:-20}"; nwallets="${4:-64}"
. bench/lib.sh
bench_init "$backend"
bench_serve

eval "$(python3 - "http://127.0.0.1:$port" "$work/demo.json" "$nwallets" <<'PY'
import json, sys, urllib.request
base, demo, n = sys.argv[1], json.load(open(sys.argv[2])), int(sys.argv[3])
def call(method, path, body=None, token=None, key=None):
    req = urllib.request.Request(base + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"})
    if token: req.add_header("Authorization", "Bearer " + token)
    if key: req.add_header("Idempotency-Key", key)
    with urllib.request.urlopen(req) as r:
        raw = r.read()
        return json.loads(raw) if raw else None
def login(role):
    u = demo["users"][role]
    return call("POST", "/api/sessions", {"username": u["email"], "password": u["password"]})
admin, customer = login("admin"), login("customer")
ids = []
for i in range(n):
    w = call("POST", "/api/wallets", {"customerId": customer["user"]["id"]}, admin["token"])
    w = w.get("data", w) if isinstance(w, dict) else w
    ids.append(w["id"])
    call("POST", f"/api/wallets/{w['id']}/transactions",
         {"type": "DEPOSIT", "amount": "1000000", "method": "bench"}, admin["token"], f"fund-{w['id']}")
print(f"export BENCH_TOKEN={customer['token']} WALLETS={','.join(map(str, ids))}")
PY
)"

closed() { bench_sql "SELECT count(*) FROM positions WHERE status = 'CLOSED'"; }
before=$(closed)
echo "--- $backend: $conns connections, ${secs}s, $nwallets wallets, ${SYMBOL:-BTCUSD} ${SIZE:-0.01} lots, 2 wrk threads"
wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/trading.lua "http://127.0.0.1:$port" | sed -n '1,22p'
echo "RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
bench_stop
after=$(closed)
trips=$((after - before))
echo "round trips (positions opened and closed during the run): $trips, $((trips / secs))/s"
echo "--- brokercrm ledger verify"
"$bin" ledger verify --database-url "$url" | tail -n 5

bench_raw_insert "$conns"
