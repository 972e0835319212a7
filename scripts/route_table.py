#!/usr/bin/env python3
"""Prints the route table of a running brokercrm (its /openapi.json) as Markdown.

Usage: scripts/route_table.py http://127.0.0.1:8080 > table.md
"""
import json
import sys
import urllib.request

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
doc = json.load(urllib.request.urlopen(f"{base}/openapi.json"))
rows = []
for path, item in doc["paths"].items():
    for method, op in item.items():
        auth = "bearer" if op.get("security") else "public"
        rows.append((op.get("tags", ["-"])[0], op.get("summary", ""), method.upper(), path, auth))
rows.sort(key=lambda r: (r[0], r[3], r[2]))
print("| tag | operation (seed title) | method | path | auth |")
print("|---|---|---|---|---|")
for tag, summary, method, path, auth in rows:
    print(f"| {tag} | {summary} | {method} | `{path}` | {auth} |")
