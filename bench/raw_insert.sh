#!/usr/bin/env bash
# The raw single-row durable INSERT rate of a database, printed beside each benchmark's figure:
# PostgreSQL with pgbench (one INSERT per transaction, synchronous_commit=on) into database $2;
# SQLite with one writer, WAL, synchronous=FULL, into a new file in directory $2.
# Usage: bench/raw_insert.sh postgres <database> <clients> | bench/raw_insert.sh sqlite <dir>
set -euo pipefail
backend="$1"; where="$2"; conns="${3:-16}"
echo "--- raw single-row durable INSERT rate, 10 s"
if [ "$backend" = postgres ]; then
  psql -qX -h 127.0.0.1 -U postgres -d "$where" -c "CREATE TABLE IF NOT EXISTS bench_raw (id bigserial primary key, v text)"
  sql=$(mktemp); echo "INSERT INTO bench_raw (v) VALUES ('x');" > "$sql"
  PGSSLMODE=disable pgbench -h 127.0.0.1 -U postgres -n -c "$conns" -j 2 -T 10 -f "$sql" "$where" | grep -E "tps|latency"
  rm -f "$sql"
else
  python3 - "$where/raw.db" <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=FULL")
c.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
n, t0 = 0, time.time()
while time.time() - t0 < 10:
    c.execute("BEGIN IMMEDIATE"); c.execute("INSERT INTO t (v) VALUES ('x')"); c.execute("COMMIT"); n += 1
print(f"sqlite synchronous=FULL, one writer: {n / (time.time() - t0):.0f} commits/s")
PY
fi
