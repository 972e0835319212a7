#!/usr/bin/env bash
# Trading WebSocket benchmark (docs/benchmarks.md, issue 15): the demo data set, the simulator
# off, and a price provider pushing one batch of ticks for the six demo symbols every
# BENCH_TICK_MS (default 250 ms) to `POST /api/prices/ticks` (so the rate does not depend on
# trading hours); N clients (default 1,000) on `GET /api/trading/stream`, each subscribed to
# every demo symbol, for S seconds; p50/p90/p99/max latency from a tick's formation (its
# `time`) to its arrival at a client (pusher, clients and server share this machine's clock;
# the latency includes the ingest commit), and the server's RSS.
# Then again with SLOW more connections that subscribe and never read: the server keeps only
# the latest quote per symbol for them, so its RSS stays bounded.
# Usage: bench/ws.sh [sqlite|postgres] [clients] [seconds] [slow]
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; clients="${2:-1000}"; secs="${3:-20}"; slow="${4:-200}"
. bench/lib.sh
bench_init "$backend"
target="${CARGO_TARGET_DIR:-$(pwd)/target}"
if [ -n "${BENCH_BIN:-}" ]; then
  cargo build -q -p brokercrm-server --example ws_load
  client="$target/debug/examples/ws_load"
else
  cargo build --release -q -p brokercrm-server --example ws_load
  client="$target/release/examples/ws_load"
fi
export BROKERCRM_PRICE_SIMULATOR_MS=0
tick_ms="${BENCH_TICK_MS:-250}"
ulimit -n 65536 2>/dev/null || ulimit -n 8192 || true
bench_serve
token=$(bench_login customer)
admin=$(bench_login admin)
# The price provider: every tick_ms one batch of the six symbols, a random walk from their
# stored quotes, at each instrument's decimals, stamped now.
python3 - "http://127.0.0.1:$port" "$admin" "$tick_ms" <<'PY' &
import datetime, json, random, sys, time, urllib.request
base, token, every = sys.argv[1], sys.argv[2], int(sys.argv[3]) / 1000
def call(method, path, body=None):
    req = urllib.request.Request(base + path, method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))
symbols = ["EURUSD", "GBPUSD", "USDJPY", "XAUUSD", "US500", "BTCUSD"]
inst = {i["symbol"]: i for i in call("GET", "/api/instruments")["instruments"]}
state = {}
for s in symbols:
    q = call("GET", f"/api/instruments/{s}/quote")["quote"]
    state[s] = (float(q["bid"]), int(inst[s]["decimals"]))
random.seed(15)
while True:
    started = time.monotonic()
    now = datetime.datetime.now(datetime.timezone.utc).isoformat()
    ticks = []
    for s in symbols:
        bid, d = state[s]
        step = 10 ** -d
        bid = max(step * 100, bid + random.choice((-3, -1, 1, 3)) * step)
        state[s] = (bid, d)
        ticks.append({"symbol": s, "bid": f"{bid:.{d}f}", "ask": f"{bid + 10 * step:.{d}f}", "time": now})
    try:
        call("POST", "/api/prices/ticks", {"ticks": ticks})
    except Exception as e:
        print("push failed:", e, file=sys.stderr)
    time.sleep(max(0.0, every - (time.monotonic() - started)))
PY
pusher=$!
BENCH_CLEANUP_EXTRA="kill $pusher 2>/dev/null || true"
symbols="EURUSD,GBPUSD,USDJPY,XAUUSD,US500,BTCUSD"
rss() { ps -o rss= -p "$pid" | tr -d ' '; }
echo "--- $backend: server RSS before: $(rss) KiB"
echo "--- $clients clients, $secs s, 6 ticks every $tick_ms ms"
"$client" "ws://127.0.0.1:$port" "$token" "$clients" "$secs" "$symbols"
echo "server RSS after: $(rss) KiB"
echo "--- $clients clients and $slow that never read, $secs s"
"$client" "ws://127.0.0.1:$port" "$token" "$clients" "$secs" "$symbols" "$slow" &
load=$!
for _ in $(seq 1 4); do sleep $(( (secs + 2) / 4 )); echo "server RSS: $(rss) KiB"; done
wait "$load"
echo "server RSS after: $(rss) KiB"
