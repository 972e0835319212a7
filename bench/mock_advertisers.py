#!/usr/bin/env python3
"""Mock advertisers for the rotation benchmark: an HTTP/1.1 keep-alive server speaking the
affiliate API v2 (seed 001) push. Paths /m1 .. /m4 reject every lead with a seed 400 body;
/m5 accepts it. Answers at once, so the measured latency is the router's, plus loopback.

Usage: mock_advertisers.py PORT
"""
import asyncio
import json
import sys
import uuid

REJECT = json.dumps({"type": "BAD_REQUEST", "data": {"errorType": "CRM_REJECTION_ERROR",
                     "errorMessage": "mock advertiser rejects every lead"}}).encode()


async def handle(reader, writer):
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            path = line.split()[1].decode()
            length = 0
            while True:
                h = await reader.readline()
                if h in (b"\r\n", b""):
                    break
                k, _, v = h.decode().partition(":")
                if k.lower() == "content-length":
                    length = int(v.strip())
            await reader.readexactly(length)
            if path.startswith("/m5/"):
                lead = str(uuid.uuid4())
                body = json.dumps({"leadUuid": lead,
                                   "autoLoginUrl": f"https://brand.test/login/{lead}"}).encode()
                status = b"200 OK"
            else:
                body, status = REJECT, b"400 Bad Request"
            writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\n"
                         b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]), backlog=1024)
    async with server:
        await server.serve_forever()


asyncio.run(main())
