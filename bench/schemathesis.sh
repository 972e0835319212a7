#!/usr/bin/env bash
# Runs schemathesis (from PyPI, in a venv under target/) against a throw-away `brokercrm serve`
# on SQLite, over every operation in /openapi.json. Fails on any 5xx or schema violation.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$(pwd)/target}"
venv="$target/schemathesis-venv"
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q 'schemathesis==4.32.5'
fi
cargo build -q --bin brokercrm
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
export BROKERCRM_LOG_LEVEL=warn BROKERCRM_FILES_DIR="$work/files" BROKERCRM_ARGON2_MEMORY_KIB=1024
"$target/debug/brokercrm" serve --listen "127.0.0.1:$port" --database-url "sqlite://$work/st.db?mode=rwc" > "$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.2; done
password=$(sed -n 's/^  password: //p' "$work/server.log")
email=$(sed -n 's/^  email:    //p' "$work/server.log")
token=$(curl -fs -H 'content-type: application/json' -d "{\"username\":\"$email\",\"password\":\"$password\"}" \
  "http://127.0.0.1:$port/api/sessions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
cd "$work"   # schemathesis keeps its cache in the working directory
"$venv/bin/schemathesis" run "http://127.0.0.1:$port/openapi.json" \
  --checks not_a_server_error,response_schema_conformance \
  --phases examples,coverage,fuzzing \
  -H "Authorization: Bearer $token" \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-25}" \
  --seed 1 --no-color \
  || { tail -n 50 "$work/server.log"; exit 1; }
