#!/usr/bin/env python3
"""Open-loop (fixed-rate) load for the lead-intake benchmark (docs/benchmarks.md).

Pushes distinct leads to the affiliate API v2 at a fixed rate over keep-alive connections and
reports latency percentiles measured from each request's *scheduled* send time, so a stalled
server is charged for the requests that queued behind it (no coordinated omission). wrk and
oha cannot both hold a fixed rate and vary every body, and the API refuses an identical body
from the same token within 2 minutes.

Usage: open_loop.py URL TOKEN RATE SECONDS [CONNECTIONS]
With DUMP=path set, writes "lead_uuid latency_ms" per accepted lead there. WARMUP=seconds runs
that long at the same rate first, unrecorded (connections and pools warm up).
"""
import asyncio
import json
import os
import sys
import time


async def main():
    url, token, rate, secs = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    conns = int(sys.argv[5]) if len(sys.argv) > 5 else 64
    host, port = url.split("//", 1)[1].rstrip("/").split(":")
    warm = int(rate * float(os.environ.get("WARMUP", "0")))
    total = warm + int(rate * secs)
    tickets: asyncio.Queue = asyncio.Queue()
    lat, statuses = [], {}
    run = f"o{int(time.time() * 1000)}"
    dump = [] if os.environ.get("DUMP") else None

    async def ticker():
        t0 = time.perf_counter()
        for i in range(total):
            due = t0 + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tickets.put_nowait((i, due))
        for _ in range(conns):
            tickets.put_nowait(None)

    async def worker():
        reader, writer = await asyncio.open_connection(host, int(port))
        while True:
            t = await tickets.get()
            if t is None:
                break
            i, due = t
            body = (
                '{"ip":"1.1.1.1","country_code":"GB","lead_language":"en","first_name":"Load",'
                f'"last_name":"Test","phone":"+4420{i:07d}","email":"ol-{run}-{i}@bench.test",'
                f'"aff_sub":"{i}"}}'
            ).encode()
            head = (
                f"POST /api/affiliates/v2/leads HTTP/1.1\r\nHost: {host}\r\n"
                f"Authorization: {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            writer.write(head + body)
            await writer.drain()
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                k, _, v = line.decode().partition(":")
                if k.lower() == "content-length":
                    length = int(v.strip())
            payload = await reader.readexactly(length)
            if i < warm:
                continue
            lat.append(time.perf_counter() - due)
            if dump is not None and b"lead_uuid" in payload:
                dump.append((json.loads(payload)["lead_uuid"], lat[-1] * 1000))
            code = status_line.split()[1].decode()
            statuses[code] = statuses.get(code, 0) + 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(ticker(), *[worker() for _ in range(conns)])
    elapsed = time.perf_counter() - started - warm / rate
    if dump is not None:
        with open(os.environ["DUMP"], "w") as f:
            f.writelines(f"{u} {ms:.3f}\n" for u, ms in dump)
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))] * 1000
    print(f"target {rate:.0f}/s for {secs:.0f}s over {conns} connections: "
          f"{len(lat)} requests in {elapsed:.1f}s = {len(lat) / elapsed:.0f}/s, statuses {statuses}")
    print(f"latency from scheduled send: p50 {pct(0.50):.1f} ms, p90 {pct(0.90):.1f} ms, "
          f"p99 {pct(0.99):.1f} ms, max {lat[-1] * 1000:.1f} ms")


asyncio.run(main())
