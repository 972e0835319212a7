#!/usr/bin/env bash
# XLSX export benchmark (docs/benchmarks.md, issue 5): GET /api/transactions/export of N ledger
# transactions (default 1,000,000), recording the server's peak RSS (VmHWM), the time to the
# last byte, the file size, and the row count read back from the workbook.
# The N transfers are written straight into the ledger tables (deposits from the manual
# cash-clearing account into 10 wallets, balances set to match), so `brokercrm ledger verify`
# still holds; the export path under test is the HTTP one.
# Usage: bench/xlsx_export.sh [sqlite|postgres] [rows]
set -euo pipefail
cd "$(dirname "$0")/.."
backend="${1:-sqlite}"; rows="${2:-1000000}"
. bench/lib.sh
bench_init "$backend"
bench_serve
# 10 funded wallets of the demo customer (opens their ledger accounts), and the admin's token.
eval "$(python3 bench/demo_wallets.py "http://127.0.0.1:$port" "$work/demo.json" 10 1 admin)"
token="$BENCH_TOKEN"
bench_stop

echo "--- $backend: writing $rows ledger transfers"
t0=$(date +%s)
if [ "$backend" = postgres ]; then
  psql -qX -h 127.0.0.1 -U postgres -d "$db" -v ON_ERROR_STOP=1 <<SQL
WITH w AS (SELECT array_agg(id ORDER BY id) AS ids FROM ledger_accounts WHERE kind = 'wallet_balance'),
     h AS (SELECT id FROM ledger_accounts WHERE kind = 'cash_clearing' LIMIT 1)
INSERT INTO ledger_transfers (transfer_id, debit_account_id, credit_account_id, amount, currency,
  code, kind, state, pending_id, user_data, body_hash, created_at)
SELECT 'bench-' || g, h.id, w.ids[1 + g % array_length(w.ids, 1)], 100 + g % 9900, 'USD',
  'DEPOSIT', 'single', 'posted', NULL, 'bench row ' || g, 'bench', now() - (g || ' seconds')::interval
FROM generate_series(1, $rows) g, w, h;
UPDATE ledger_accounts a SET balance = COALESCE((SELECT sum(amount) FROM ledger_transfers t WHERE t.credit_account_id = a.id AND t.state = 'posted' AND t.kind IN ('single','post_pending')), 0)
  - COALESCE((SELECT sum(amount) FROM ledger_transfers t WHERE t.debit_account_id = a.id AND t.state = 'posted' AND t.kind IN ('single','post_pending')), 0);
ANALYZE;
SQL
else
  python3 - "$work/bench.db" "$rows" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2])
wallets = [r[0] for r in c.execute("SELECT id FROM ledger_accounts WHERE kind = 'wallet_balance' ORDER BY id")]
house = c.execute("SELECT id FROM ledger_accounts WHERE kind = 'cash_clearing' LIMIT 1").fetchone()[0]
stamp = c.execute("SELECT created_at FROM ledger_transfers ORDER BY id DESC LIMIT 1").fetchone()[0]
rows = ((f"bench-{g}", house, wallets[g % len(wallets)], 100 + g % 9900, "USD", "DEPOSIT", "single",
         "posted", None, f"bench row {g}", "bench", stamp) for g in range(1, n + 1))
c.executemany("""INSERT INTO ledger_transfers (transfer_id, debit_account_id, credit_account_id,
  amount, currency, code, kind, state, pending_id, user_data, body_hash, created_at)
  VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""", rows)
c.execute("""UPDATE ledger_accounts SET balance =
  COALESCE((SELECT sum(amount) FROM ledger_transfers t WHERE t.credit_account_id = ledger_accounts.id AND t.state = 'posted' AND t.kind IN ('single','post_pending')), 0)
  - COALESCE((SELECT sum(amount) FROM ledger_transfers t WHERE t.debit_account_id = ledger_accounts.id AND t.state = 'posted' AND t.kind IN ('single','post_pending')), 0)""")
c.commit(); c.execute("ANALYZE")
PY
fi
echo "written in $(( $(date +%s) - t0 )) s"
"$bin" ledger verify --database-url "$url" | tail -n 3

bench_serve
echo "RSS before export: $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status)"
t0=$(date +%s.%N)
curl -fsS -o "$work/export.xlsx" "http://127.0.0.1:$port/api/transactions/export?token=$token"
t1=$(date +%s.%N)
echo "export: $(python3 -c "print(f'{$t1 - $t0:.1f}')") s to the last byte, $(du -m "$work/export.xlsx" | cut -f1) MB"
echo "peak RSS of the server (VmHWM): $(awk '/VmHWM/ {print $2, $3}' /proc/$pid/status)"
python3 - "$work/export.xlsx" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
n = 0
with z.open("xl/worksheets/sheet1.xml") as f:
    tail = b""
    while chunk := f.read(1 << 20):
        n += len(re.findall(rb"<row ", tail + chunk)); tail = chunk[-4:]
print(f"rows in the workbook (header included): {n}")
PY
