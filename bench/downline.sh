#!/usr/bin/env bash
# Downline statistics at scale (docs/benchmarks.md, issue 16): through the HTTP API, an
# introducer with a 3-level tree of ~10,000 clients (100 at level 1 of which 20 are sub-IBs
# with 100 clients each, 40 of those sub-sub-IBs with 200 clients each), 70 % of them with a
# real deposit; then `GET /api/downline-statistics?userId=<the top IB>` (3 levels, six indexed
# queries each) with wrk, 1 and 4 connections.
# Usage: bench/downline.sh [sqlite|postgres] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; secs="${2:-15}"
. bench/lib.sh
bench_init "$backend"
bench_serve
token=$(bench_login admin)
echo "--- $backend: building the tree through the API"
t0=$(date +%s)
top=$(python3 - "http://127.0.0.1:$port" "$token" <<'PY'
import http.client, json, random, sys, threading, urllib.parse
from concurrent.futures import ThreadPoolExecutor
base, token = sys.argv[1], sys.argv[2]
host = urllib.parse.urlparse(base).netloc
local = threading.local()
def call(method, path, body=None):
    if not hasattr(local, "c"):
        local.c = http.client.HTTPConnection(host, timeout=60)
    local.c.request(method, path, body=json.dumps(body) if body is not None else None,
                    headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = local.c.getresponse(); data = r.read()
    if r.status >= 300:
        raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else None
groups = call("GET", "/api/groups")["groups"]
group = next((g["id"] for g in groups if g.get("currency") == "USD"), None)
if group is None:
    adapters = call("GET", "/api/adapters")
    adapters = adapters.get("adapters", []) if isinstance(adapters, dict) else adapters
    adapter = adapters[0]["name"] if adapters else None
    if adapter is None:
        adapter = "bench"
        call("POST", "/api/adapters", {"name": adapter, "enabled": True, "type": "internal_trading", "configuration": {}})
    group = call("POST", "/api/groups", {"name": "Bench USD", "leverage": 100, "currency": "USD",
                                         "adapterName": adapter, "disableSwapCharges": False})["group"]["id"]
random.seed(16)
n = [0]
lock = threading.Lock()
def customer(ib, deposit):
    with lock:
        n[0] += 1; k = n[0]
    uuid = call("POST", "/api/customers", {"fullname": f"Client {k}", "email": f"dl{k}@bench.test",
                                            "country": "DE", "currency": "USD",
                                            "mobilenumber": f"+4915{k:09d}"})["id"]
    if ib:
        call("PUT", f"/api/customers/{uuid}/introducer", {"introducerId": ib})
    if deposit:
        w = call("POST", "/api/wallets", {"customerId": uuid, "groupId": group, "platform": "NEO"})["id"]
        call("POST", f"/api/wallets/{w}/transactions",
             {"type": "DEPOSIT", "amount": random.randint(100, 1000)})
    return uuid
def make_ib(uuid):
    call("PUT", f"/api/introducers/{uuid}", {"commissionModelId": None})
top = customer(None, False); make_ib(top)
with ThreadPoolExecutor(16) as pool:
    def level(parents, per):
        jobs = [pool.submit(customer, p, random.random() < 0.7) for p in parents for _ in range(per)]
        return [j.result() for j in jobs]
    l1 = level([top], 100)
    subs = l1[:20]; list(pool.map(make_ib, subs))
    l2 = level(subs, 100)
    subsubs = l2[:40]; list(pool.map(make_ib, subsubs))
    l3 = level(subsubs, 200)
print(top)
print(f"clients: level 1 {len(l1)}, level 2 {len(l2)}, level 3 {len(l3)}", file=sys.stderr)
PY
)
echo "built in $(( $(date +%s) - t0 )) s"
bench_sql "ANALYZE" > /dev/null
path="/api/downline-statistics?userId=$top"
curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path"; echo
echo "$path" > "$work/downline.paths"
for c in 1 4; do
  echo "--- GET $path, $c connection(s), ${secs}s"
  PATHS="$work/downline.paths" BENCH_TOKEN="$token" wrk -t1 -c"$c" -d"${secs}s" --latency -s bench/paths.lua "http://127.0.0.1:$port" | sed -n '2,17p'
done
