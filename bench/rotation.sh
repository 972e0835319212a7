#!/usr/bin/env bash
# Rotation-overhead benchmark (docs/benchmarks.md): the demo offer's rotation is replaced by 5
# mock advertisers (affiliate API v2 protocol, bench/mock_advertisers.py) of which the first 4
# reject every lead and the 5th accepts; leads are pushed at a fixed rate (open loop) and the
# overhead is each lead's latency minus its 5 calls' durations (logged by the router in µs).
# The mocks are nginx when installed (Debian package), else bench/mock_advertisers.py.
# Usage: bench/rotation.sh [sqlite|postgres] [leads-per-second] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; rate="${2:-200}"; secs="${3:-15}"
target="${CARGO_TARGET_DIR:-$(pwd)/target}"
cargo build --release -q --bin brokercrm
bin="$target/release/brokercrm"
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000)); mock=$((port + 1))
case "$backend" in
  sqlite) url="sqlite://$work/bench.db?mode=rwc" ;;
  postgres)
    db="bcrm_rot_$$"
    psql -qX -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" postgres
    url="postgres://postgres@127.0.0.1:5432/$db?sslmode=disable" ;;
  *) echo "backend: sqlite or postgres" >&2; exit 2 ;;
esac
export BROKERCRM_LOG_LEVEL=warn BROKERCRM_FILES_DIR="$work/files" BROKERCRM_METRICS=false
export BROKERCRM_ALLOW_PRIVATE_OUTBOUND=true
# Each advertiser call is logged with its duration in µs, to subtract the mocks' own time.
export BROKERCRM_LOG_LEVEL="warn,brokercrm_app::leads::routing=debug"
cleanup() {
  kill ${pid:-} ${mpid:-} 2>/dev/null; wait 2>/dev/null || true
  # BENCH_KEEP=dir keeps the per-lead latencies and the server log for a closer look.
  [ -n "${BENCH_KEEP:-}" ] && mkdir -p "$BENCH_KEEP" && cp "$work"/latency.txt "$work"/server.log "$BENCH_KEEP"/ 2>/dev/null
  [ "$backend" = postgres ] && psql -qX -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" postgres
  rm -rf "$work"
}
trap cleanup EXIT

if command -v nginx >/dev/null; then
  sed -e "s#MOCK_PORT#$mock#" -e "s#WORK#$work#g" bench/mock_advertisers.nginx.conf > "$work/nginx.conf"
  nginx -c "$work/nginx.conf" & mpid=$!
  echo "mock advertisers: nginx"
else
  python3 bench/mock_advertisers.py "$mock" & mpid=$!
  echo "mock advertisers: python (install nginx for a cheaper mock)"
fi
until curl -s -o /dev/null "http://127.0.0.1:$mock/m5/"; do sleep 0.05; done
"$bin" demo --database-url "$url" --out "$work/demo.json" > /dev/null
"$bin" serve --listen "127.0.0.1:$port" --database-url "$url" > "$work/server.log" 2>&1 & pid=$!
until curl -fs "http://127.0.0.1:$port/api/health" >/dev/null; do sleep 0.05; done

token=$(python3 - "$work/demo.json" "http://127.0.0.1:$port" "$mock" <<'PY'
import json, sys, urllib.request
demo, base, mock = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
def call(method, path, body=None, auth=None):
    req = urllib.request.Request(base + path, method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **({"Authorization": "Bearer " + auth} if auth else {})})
    with urllib.request.urlopen(req) as r:
        return json.load(r)
admin = demo["users"]["admin"]
session = call("POST", "/api/sessions", {"username": admin["email"], "password": admin["password"]})["token"]
entries = []
for n in range(1, 6):
    adv = call("POST", "/api/lead-distribution/advertisers", {"name": f"Mock {n}", "kind": "affiliate_v2",
        "timeoutMs": 5000, "config": {"baseUrl": f"http://127.0.0.1:{mock}/m{n}", "token": "mock"}}, session)
    entries.append({"advertiserUuid": adv["uuid"], "priority": n})
offer_id = demo["affiliate_v2"]["offer_id"]
offers = call("GET", "/api/lead-distribution/offers?limit=500", None, session)
items = offers["items"] if isinstance(offers, dict) else offers
offer = next(o for o in items if o["id"] == offer_id)
call("PUT", f"/api/lead-distribution/offers/{offer['uuid']}/rotation", entries, session)
print(demo["affiliate_v2"]["token"])
PY
)

echo "--- mocks alone: one rejecting mock at $((rate * 5)) requests/s (the router's 5 calls per lead)"
python3 - "$mock" "$((rate * 5))" 5 <<'PY'
import asyncio, sys, time
port, rate, secs = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
lat = []
async def main():
    q = asyncio.Queue()
    async def tick():
        t0 = time.perf_counter()
        for i in range(int(rate * secs)):
            d = t0 + i / rate - time.perf_counter()
            if d > 0: await asyncio.sleep(d)
            q.put_nowait(t0 + i / rate)
        for _ in range(32): q.put_nowait(None)
    async def work():
        r, w = await asyncio.open_connection("127.0.0.1", port)
        while (due := await q.get()) is not None:
            w.write(b"POST /m1/api/affiliates/v2/leads HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
            await w.drain()
            await r.readline(); n = 0
            while (h := await r.readline()) not in (b"\r\n", b""):
                if h.lower().startswith(b"content-length"): n = int(h.split(b":")[1])
            await r.readexactly(n); lat.append(time.perf_counter() - due)
    await asyncio.gather(tick(), *[work() for _ in range(32)])
asyncio.run(main()); lat.sort()
print(f"mock latency: p50 {lat[len(lat)//2]*1000:.2f} ms, p99 {lat[int(len(lat)*0.99)]*1000:.2f} ms ({len(lat)} calls)")
PY
echo "--- $backend: rotation over 5 mocks (4 reject, the 5th accepts), $rate leads/s, ${secs}s after 3 s of warm-up"
WARMUP=3 DUMP="$work/latency.txt" python3 bench/open_loop.py "http://127.0.0.1:$port" "$token" "$rate" "$secs" 64
echo "--- overhead per lead: its latency minus its advertiser calls' durations (server log, µs)"
python3 - "$work/latency.txt" "$work/server.log" <<'PY'
import re, sys
calls = {}
for line in open(sys.argv[2]):
    line = re.sub(r"\x1b\[[0-9;]*m", "", line)
    m = re.search(r"advertiser call finished.*lead=(\S+).*duration_us=(\d+)", line)
    if m:
        calls[m.group(1)] = calls.get(m.group(1), 0) + int(m.group(2)) / 1000
lat = [(u, float(ms)) for u, ms in (l.split() for l in open(sys.argv[1]))]
over = sorted(ms - calls.get(u, 0.0) for u, ms in lat)
n = sum(1 for u, _ in lat if u in calls)
p = lambda q: over[min(len(over) - 1, int(len(over) * q))]
print(f"router overhead over {len(over)} leads ({n} with logged calls): "
      f"p50 {p(0.5):.1f} ms, p90 {p(0.9):.1f} ms, p99 {p(0.99):.1f} ms")
PY
