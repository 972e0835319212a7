#!/usr/bin/env bash
# Sales CRM list benchmark (docs/benchmarks.md, issue 4): `brokercrm gen-crm-data` fills
# 1,000,000 leads and 200,000 customers, then over HTTP as the demo admin:
#   list: GET /api/leads with 3 filters (status, country, source) + a name/e-mail search, page
#         of 50, 400 different combinations picked at random by wrk (bench/paths.lua);
#   get:  GET /api/leads/{id} of 10,000 random leads;
#   import: POST /api/leads/upload of a 50,000-row CSV (dedup on: 10 % are existing leads'
#         e-mails, 2 % repeat a row of the file, 2 % bad e-mails), rows/s from the wall time.
# Usage: bench/crm_leads.sh [sqlite|postgres] [leads] [customers] [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; nleads="${2:-1000000}"; ncust="${3:-200000}"; conns="${4:-4}"; secs="${5:-20}"
. bench/lib.sh
bench_init "$backend"
echo "--- $backend: gen-crm-data --leads $nleads --customers $ncust"
t0=$(date +%s)
"$bin" gen-crm-data --leads "$nleads" --customers "$ncust" --database-url "$url" 2>&1 | tail -n 2
bench_sql "ANALYZE" > /dev/null
echo "generated in $(( $(date +%s) - t0 )) s; crm_leads rows: $(bench_sql 'SELECT count(*) FROM crm_leads')"

bench_serve
export BENCH_TOKEN
BENCH_TOKEN=$(bench_login admin)

# 400 list queries: status x country x source x search prefix, newest first, page of 50.
bench_sql "SELECT uuid FROM crm_leads ORDER BY random() LIMIT 10000" | sed 's|^|/api/leads/|' > "$work/get.paths"
bench_sql "SELECT email FROM crm_leads WHERE email IS NOT NULL ORDER BY random() LIMIT 5000" > "$work/emails"
python3 - "$work/list.paths" <<'PY'
import json, random, sys, urllib.parse
random.seed(7)
statuses = ["New", "No answer", "Call back", "Interested", "Not interested", "Wrong number"]
countries = ["DE", "GB", "IT", "ES", "FR", "PL", "NL", "CY", "AE", "ZA", "BR", "MX"]
sources = ["google-ads", "facebook", "instagram", "tiktok", "partner-alpha", "seo", "webinar", "referral"]
searches = ["anna", "ben", "maria", "smi", "ros", "gar", "mar", "kow", "luca r", "elena"]
with open(sys.argv[1], "w") as f:
    for _ in range(400):
        flt = {"statuses": [random.choice(statuses)], "country": random.choice(countries),
               "sources": [random.choice(sources)]}
        q = urllib.parse.urlencode({"filters": json.dumps(flt), "search": random.choice(searches),
                                    "limit": 50, "offset": 0})
        f.write(f"/api/leads?{q}\n")
PY
curl -fsS -o /dev/null -w "sample list query: HTTP %{http_code}, %{size_download} bytes\n" -H "Authorization: Bearer $BENCH_TOKEN" "http://127.0.0.1:$port$(head -n1 "$work/list.paths")"
for c in 1 "$conns"; do
  echo "--- list leads, 3 filters + search, page 50: $c connection(s), ${secs}s"
  PATHS="$work/list.paths" wrk -t1 -c"$c" -d"${secs}s" --latency -s bench/paths.lua "http://127.0.0.1:$port" | sed -n '2,17p'
done
echo "--- get lead by id: $conns connections, ${secs}s"
PATHS="$work/get.paths" wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/paths.lua "http://127.0.0.1:$port" | sed -n '2,17p'

echo "--- CSV import, 50,000 rows, dedup on"
python3 - "$work/import.csv" "$work/emails" <<'PY'
import random, sys
random.seed(11)
existing = [l.strip() for l in open(sys.argv[2]) if l.strip()]
rows, seen = [], []
for i in range(50000):
    r = random.random()
    if r < 0.10 and existing:
        email = random.choice(existing)
    elif r < 0.12 and seen:
        email = random.choice(seen)
    elif r < 0.14:
        email = f"broken-{i}-at-example"
    else:
        email = f"import-{i}@bench-import.test"
    seen.append(email)
    rows.append(f"Imp{i},Lead{i},{email},+4930{i:07d},DE,en,csv-bench")
with open(sys.argv[1], "w") as f:
    f.write("first name,last name,email,phone,country,language,source\n" + "\n".join(rows) + "\n")
PY
t0=$(date +%s.%N)
curl -fsS -H "Authorization: Bearer $BENCH_TOKEN" -F "file=@$work/import.csv;type=text/csv" "http://127.0.0.1:$port/api/leads/upload" > "$work/import.json"
t1=$(date +%s.%N)
python3 - "$work/import.json" "$t0" "$t1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); secs = float(sys.argv[3]) - float(sys.argv[2])
print(f"import: {r.get('total')} rows in {secs:.2f} s = {int(r.get('total', 0)) / secs:.0f} rows/s; "
      f"created {r.get('created')}, updated {r.get('updated')}, failed {r.get('failed')}")
PY
echo "RSS after load: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
