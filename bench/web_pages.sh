#!/usr/bin/env bash
# Staff portal pages at scale (docs/benchmarks.md, issue 19): `brokercrm gen-crm-data` fills
# the CRM, then, logged in to the portal as the demo admin (session cookie, no API token):
#   leads: GET /admin/leads with 3 filters (status, country, source) + a search, page of 50,
#          400 combinations picked at random by wrk (bench/cookie_paths.lua);
#   360:   GET /admin/customers/{id} of 2,000 random customers;
# and the HTML size of a full list page.
# Usage: bench/web_pages.sh [sqlite|postgres] [leads] [customers] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; nleads="${2:-1000000}"; ncust="${3:-200000}"; secs="${4:-20}"
. bench/lib.sh
bench_init "$backend"
echo "--- $backend: gen-crm-data --leads $nleads --customers $ncust"
t0=$(date +%s)
"$bin" gen-crm-data --leads "$nleads" --customers "$ncust" --database-url "$url" 2>&1 | tail -n 1
bench_sql "ANALYZE" > /dev/null
echo "generated in $(( $(date +%s) - t0 )) s"
bench_serve

# Log in through the portal's form (pre-session cookie + CSRF token), keep the session cookie.
BENCH_COOKIE=$(python3 - "http://127.0.0.1:$port" "$work/demo.json" <<'PY'
import json, re, sys, urllib.parse, urllib.request
base, demo = sys.argv[1], json.load(open(sys.argv[2]))
u = demo["users"]["admin"]
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
opener = urllib.request.build_opener(NoRedirect)
r = opener.open(base + "/admin/login")
pre = [h.split(";")[0] for h in r.headers.get_all("Set-Cookie") if h.startswith("bcrm_pre=")][0]
csrf = re.search(r'name="_csrf" value="([^"]+)"', r.read().decode()).group(1)
body = urllib.parse.urlencode({"_csrf": csrf, "email": u["email"], "password": u["password"]}).encode()
req = urllib.request.Request(base + "/admin/login", data=body, headers={"Cookie": pre})
try:
    resp = opener.open(req)
    headers = resp.headers
except urllib.error.HTTPError as e:
    headers = e.headers
print([h.split(";")[0] for h in headers.get_all("Set-Cookie") if h.startswith("bcrm_session=")][0])
PY
)
export BENCH_COOKIE

python3 - "$work/leads.paths" <<'PY'
import random, sys, urllib.parse
random.seed(7)
statuses = ["New", "No answer", "Call back", "Interested", "Not interested", "Wrong number"]
countries = ["DE", "GB", "IT", "ES", "FR", "PL", "NL", "CY", "AE", "ZA", "BR", "MX"]
sources = ["google-ads", "facebook", "instagram", "tiktok", "partner-alpha", "seo", "webinar", "referral"]
searches = ["anna", "ben", "maria", "smi", "ros", "gar", "mar", "kow", "luca r", "elena"]
with open(sys.argv[1], "w") as f:
    for _ in range(400):
        q = urllib.parse.urlencode({"status": random.choice(statuses), "country": random.choice(countries),
                                    "source": random.choice(sources), "q": random.choice(searches)})
        f.write(f"/admin/leads?{q}\n")
PY
bench_sql "SELECT uuid FROM users WHERE role = 'customer' ORDER BY random() LIMIT 2000" | sed 's|^|/admin/customers/|' > "$work/c360.paths"

curl -fsS -o /dev/null -w "full leads page (no filter, 50 rows): HTTP %{http_code}, %{size_download} bytes\n" -H "Cookie: $BENCH_COOKIE" "http://127.0.0.1:$port/admin/leads"
curl -fsS -o /dev/null -w "sample filtered page: HTTP %{http_code}, %{size_download} bytes\n" -H "Cookie: $BENCH_COOKIE" "http://127.0.0.1:$port$(head -n1 "$work/leads.paths")"
echo "--- portal leads page, 3 filters + search, 1 connection, ${secs}s"
PATHS="$work/leads.paths" wrk -t1 -c1 -d"${secs}s" --latency -s bench/cookie_paths.lua "http://127.0.0.1:$port" | sed -n '2,17p'
echo "--- customer 360 page, 1 connection, ${secs}s"
PATHS="$work/c360.paths" wrk -t1 -c1 -d"${secs}s" --latency -s bench/cookie_paths.lua "http://127.0.0.1:$port" | sed -n '2,17p'
