#!/usr/bin/env bash
# Cost growth of lead intake (issue 20): the push rate of bench/leads.sh on an empty database,
# then with 10^6 and 10^7 leads stored. The first run's rows (everything a routed lead leaves:
# lead, trace, dedup keys, CRM lead, auto-login link, conversion) are copied by
# bench/lead_growth.py until the database holds each target; the server is stopped while it
# grows. Durable commits as in bench/leads.sh.
# Usage: bench/lead_growth.sh [sqlite|postgres] [connections] [seconds] [targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; conns="${2:-32}"; secs="${3:-15}"; shift 3 || true
targets=("${@:-1000000 10000000}")
. bench/lib.sh
bench_init "$backend"
token=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['affiliate_v2']['token'])" "$work/demo.json")
where="$work/bench.db"; [ "$backend" = postgres ] && where="$db"

push() {
  bench_serve
  echo "--- $backend: $1 leads stored; push leads, $conns connections, ${secs}s"
  LEAD_TOKEN="$token" RUN_ID="g$1" wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/leads_push.lua "http://127.0.0.1:$port" \
    | grep -E "Requests/sec|Non-2xx|  50%|  99%|requests in"
  echo "RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
  bench_stop
}

python3 bench/lead_growth.py counts "$backend" "$where" > "$work/before.json"
push 0
python3 bench/lead_growth.py counts "$backend" "$where" > "$work/after.json"
for t in ${targets[@]}; do
  started=$(date +%s)
  python3 bench/lead_growth.py grow "$backend" "$where" "$work/before.json" "$work/after.json" "$t"
  echo "grown in $(( $(date +%s) - started )) s; database size: $(if [ "$backend" = postgres ]; then bench_sql "SELECT pg_size_pretty(pg_database_size('$db'))"; else du -sh "$work" | cut -f1; fi)"
  push "$(bench_sql 'SELECT count(*) FROM leads')"
done
bench_raw_insert "$conns"
