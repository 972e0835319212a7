#!/usr/bin/env bash
# Trading WebSocket benchmark (docs/benchmarks.md, issue 15): the demo data set with the price
# simulator ticking every BENCH_TICK_MS (default 250 ms: six symbols per batch), N clients
# (default 1,000) on `GET /api/trading/stream`, each subscribed to every demo symbol, for S
# seconds; p50/p90/p99/max latency from a tick's formation (its quote `time`) to its arrival
# at a client (client, simulator and server share this machine's clock), and the server's RSS.
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
export BROKERCRM_PRICE_SIMULATOR_MS="${BENCH_TICK_MS:-250}"
ulimit -n 65536 2>/dev/null || ulimit -n 8192 || true
bench_serve
token=$(bench_login customer)
symbols="EURUSD,GBPUSD,USDJPY,XAUUSD,US500,BTCUSD"
rss() { ps -o rss= -p "$pid" | tr -d ' '; }
echo "--- $backend: server RSS before: $(rss) KiB"
echo "--- $clients clients, $secs s, ticks every ${BROKERCRM_PRICE_SIMULATOR_MS} ms"
"$client" "ws://127.0.0.1:$port" "$token" "$clients" "$secs" "$symbols"
echo "server RSS after: $(rss) KiB"
echo "--- $clients clients and $slow that never read, $secs s"
"$client" "ws://127.0.0.1:$port" "$token" "$clients" "$secs" "$symbols" "$slow" &
load=$!
for _ in $(seq 1 4); do sleep $(( (secs + 2) / 4 )); echo "server RSS: $(rss) KiB"; done
wait "$load"
echo "server RSS after: $(rss) KiB"
