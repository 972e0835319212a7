# Shared set-up of the benchmark scripts (sourced, not run): a release build, a throw-away
# SQLite file or PostgreSQL database (durable commits on both; no TLS on loopback), a server
# on a random port, logins from the demo data set, and clean-up on exit.
#   bench_init <sqlite|postgres>  sets bin, work, port, url (and db); loads the demo data set
#   bench_serve / bench_stop      start and stop `brokercrm serve` (pid)
#   bench_login <role>            prints a session token of the demo user of that role
#   bench_sql "<sql>"             runs SQL on the benchmark database, rows as a|b|c
#   bench_analyze                 PostgreSQL: ANALYZE, as autovacuum does on a running server
# BENCH_LOG=file keeps the server's log. Scripts may set BENCH_CLEANUP_EXTRA to a command run first on exit.
bench_init() {
  backend="$1"
  target="${CARGO_TARGET_DIR:-$(pwd)/target}"
  # BENCH_BIN: a release binary already built (skips the build).
  if [ -n "${BENCH_BIN:-}" ]; then bin="$BENCH_BIN"; else
    cargo build --release -q --bin brokercrm
    bin="$target/release/brokercrm"
  fi
  work=$(mktemp -d)
  port=$((20000 + RANDOM % 20000))
  case "$backend" in
    sqlite) url="sqlite://$work/bench.db?mode=rwc" ;;
    postgres)
      db="bcrm_bench_$$"
      psql -qX -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db" postgres
      url="postgres://postgres@127.0.0.1:5432/$db?sslmode=disable" ;;
    *) echo "backend: sqlite or postgres" >&2; exit 2 ;;
  esac
  export BROKERCRM_LOG_LEVEL="${BROKERCRM_LOG_LEVEL:-warn}" BROKERCRM_FILES_DIR="$work/files" BROKERCRM_METRICS=false
  trap bench_cleanup EXIT
  "$bin" demo --database-url "$url" --out "$work/demo.json" > /dev/null
}

bench_cleanup() {
  [ -n "${BENCH_CLEANUP_EXTRA:-}" ] && eval "$BENCH_CLEANUP_EXTRA"
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true
  # BENCH_LOG=file keeps the server's log (with BROKERCRM_LOG_LEVEL=...=debug: batch laps).
  if [ -n "${BENCH_LOG:-}" ] && [ -f "$work/server.log" ]; then cp "$work/server.log" "$BENCH_LOG"; fi
  # BENCH_KEEP_DB=1 keeps the PostgreSQL database for a look afterwards (its name is printed).
  if [ "$backend" = postgres ] && [ -n "${BENCH_KEEP_DB:-}" ]; then echo "kept database $db"
  elif [ "$backend" = postgres ]; then psql -qX -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db" postgres; fi
  rm -rf "$work"
}

bench_serve() {
  "$bin" serve --listen "127.0.0.1:$port" --database-url "$url" > "$work/server.log" 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/api/health" >/dev/null; do sleep 0.05; done
}

bench_stop() {
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}

bench_login() {
  python3 - "http://127.0.0.1:$port" "$work/demo.json" "$1" <<'PY'
import json, sys, urllib.request
base, demo, role = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
u = demo["users"][role]
req = urllib.request.Request(base + "/api/sessions", method="POST",
    headers={"Content-Type": "application/json"},
    data=json.dumps({"username": u["email"], "password": u["password"]}).encode())
print(json.load(urllib.request.urlopen(req))["token"])
PY
}

bench_sql() {
  if [ "$backend" = postgres ]; then
    psql -qAtX -h 127.0.0.1 -U postgres -d "$db" -c "$1"
  else
    python3 -c "import sqlite3,sys; [print('|'.join(map(str, r))) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])]" "$work/bench.db" "$1"
  fi
}

# PostgreSQL plans a prepared statement once for its connection and keeps that plan until the
# table's statistics change. A server running autovacuum analyzes a table again each time it
# grows by a tenth; a server with `autovacuum = off` (as on the machines these figures come
# from) keeps the plans made on the empty demo tables however large they grow. A load script
# warms up, then calls this, so the measured run sees the statistics autovacuum would have
# gathered by then.
bench_analyze() {
  if [ "$backend" = postgres ]; then
    echo "PostgreSQL autovacuum = $(bench_sql 'SHOW autovacuum'); ANALYZE after the warm-up"
    bench_sql "ANALYZE"
  fi
}

bench_raw_insert() {
  if [ "$backend" = postgres ]; then bench/raw_insert.sh postgres "$db" "${1:-16}"; else bench/raw_insert.sh sqlite "$work"; fi
}
