#!/usr/bin/env bash
# Foundation benchmarks (docs/benchmarks.md): startup time on an existing database, idle RSS,
# GET /api/health throughput at 50 connections (oha), and session creation (argon2-bound).
# Usage: bench/foundation.sh   (needs oha on PATH or in /work/.tools/bin)
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$(pwd)/target}"
export PATH="$PATH:/work/.tools/bin:$HOME/.cargo/bin"
cargo build --release -q --bin brokercrm
bin="$target/release/brokercrm"
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
url="sqlite://$work/bench.db?mode=rwc"
export BROKERCRM_LOG_LEVEL=warn BROKERCRM_FILES_DIR="$work/files" BROKERCRM_METRICS=false
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

start() {
  "$bin" serve --listen "127.0.0.1:$port" --database-url "$url" > "$work/server.log" 2>&1 &
  pid=$!
  t0=$(date +%s%N)
  until curl -fs "http://127.0.0.1:$port/api/health" >/dev/null; do sleep 0.005; done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

start   # first start: creates and migrates the database
password=$(sed -n 's/^  password: //p' "$work/server.log")
kill "$pid"; wait "$pid" 2>/dev/null || true
start
echo "startup on an existing database: ${ms} ms (process start to first healthy response)"
sleep 2
echo "idle RSS: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"

echo "--- GET /api/health, 50 connections, 10 s"
oha -z 10s -c 50 --no-tui "http://127.0.0.1:$port/api/health" | sed -n '1,12p'
echo "RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"

echo "--- POST /api/sessions (argon2id m=19456 KiB, t=2, p=1), 2 connections, 10 s"
body="{\"username\":\"admin@brokercrm.local\",\"password\":\"$password\"}"
# Login limits would turn most requests into 429s; raise them for the measurement only.
kill "$pid"; wait "$pid" 2>/dev/null || true
BROKERCRM_LOGIN_ATTEMPTS_PER_ACCOUNT=1000000 BROKERCRM_LOGIN_ATTEMPTS_PER_IP=1000000 start
oha -z 10s -c 2 --no-tui -m POST -H 'content-type: application/json' -d "$body" \
  "http://127.0.0.1:$port/api/sessions" | sed -n '1,12p'
