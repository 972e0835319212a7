#!/usr/bin/env bash
# Transfer benchmark (docs/benchmarks.md, issue 5): money moved over HTTP by wrk, durable
# commits on (SQLite synchronous=FULL; PostgreSQL synchronous_commit=on, no TLS on loopback).
#   random: 16 clients, each request a transfer of 0.01 between two random wallets of one
#           customer (POST /api/wallets/transfer, the customer's own token);
#   hot:    every request a staff manual DEPOSIT into a random wallet, so every transfer
#           debits the one manual cash-clearing house account.
# Afterwards: ledger transfers counted against wrk's requests, `brokercrm ledger verify`, and
# the raw single-row durable INSERT rate of the same database.
# Usage: bench/transfers.sh [sqlite|postgres] [random|hot] [connections] [seconds] [wallets]
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; mode="${2:-random}"; conns="${3:-16}"; secs="${4:-20}"; nwallets="${5:-200}"
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
"$bin" serve --listen "127.0.0.1:$port" --database-url "$url" > "$work/server.log" 2>&1 &
pid=$!
until curl -fs "http://127.0.0.1:$port/api/health" >/dev/null; do sleep 0.05; done

# Set-up over HTTP: $nwallets USD wallets of the demo customer, each funded with 1,000,000.
eval "$(python3 - "http://127.0.0.1:$port" "$work/demo.json" "$nwallets" "$mode" <<'PY'
import json, sys, urllib.request
base, demo, n, mode = sys.argv[1], json.load(open(sys.argv[2])), int(sys.argv[3]), sys.argv[4]
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
token = admin["token"] if mode == "hot" else customer["token"]
print(f"export BENCH_TOKEN={token} WALLETS={','.join(map(str, ids))}")
PY
)"

count_transfers() {
  if [ "$backend" = postgres ]; then
    psql -qAtX -h 127.0.0.1 -U postgres -d "$db" -c "SELECT count(*) FROM ledger_transfers"
  else
    python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM ledger_transfers').fetchone()[0])" "$work/bench.db"
  fi
}
before=$(count_transfers)
echo "--- $backend $mode: $conns connections, ${secs}s, $nwallets wallets, 2 wrk threads"
MODE="$mode" RUN_ID="b$$" wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/transfers.lua "http://127.0.0.1:$port" | sed -n '1,22p'
echo "RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
after=$(count_transfers)
echo "ledger transfers written during the run: $((after - before))"
echo "--- brokercrm ledger verify"
"$bin" ledger verify --database-url "$url" | tail -n 5

if [ "$backend" = postgres ]; then bench/raw_insert.sh postgres "$db" "$conns"; else bench/raw_insert.sh sqlite "$work"; fi
