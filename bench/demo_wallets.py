"""Opens and funds wallets of the demo customer over HTTP, for the bench scripts.

Prints shell exports: BENCH_TOKEN (a session token of the role asked) and WALLETS (the new
wallets' ids, comma-separated). Usage:
    python3 bench/demo_wallets.py <base url> <demo.json> <wallets> <amount each> <admin|customer>
"""
import json
import sys
import urllib.request

base, demo = sys.argv[1], json.load(open(sys.argv[2]))
n, amount, role = int(sys.argv[3]), sys.argv[4], sys.argv[5]


def call(method, path, body=None, token=None, key=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if key:
        req.add_header("Idempotency-Key", key)
    with urllib.request.urlopen(req) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


def login(who):
    u = demo["users"][who]
    return call("POST", "/api/sessions", {"username": u["email"], "password": u["password"]})


admin, customer = login("admin"), login("customer")
ids = []
for _ in range(n):
    w = call("POST", "/api/wallets", {"customerId": customer["user"]["id"]}, admin["token"])
    w = w.get("data", w) if isinstance(w, dict) else w
    ids.append(w["id"])
    call("POST", f"/api/wallets/{w['id']}/transactions",
         {"type": "DEPOSIT", "amount": amount, "method": "bench"}, admin["token"], f"fund-{w['id']}")
token = admin["token"] if role == "admin" else customer["token"]
print(f"export BENCH_TOKEN={token} WALLETS={','.join(map(str, ids))}")
