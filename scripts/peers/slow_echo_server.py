#!/usr/bin/env python3
"""A deliberately slow, single-threaded echo server on Python's `websockets` with permessage-deflate
on: one asyncio loop in one thread, and every message costs 1 ms of blocking sleep before its echo,
so cases that run at the same time share one slow peer thread and slow each other down. It is the
peer of scripts/jobs-independence.sh (verdicts must not depend on --jobs).
Usage: slow_echo_server.py PORT [DELAY_MS]   (default 1)
Install: python3 -m venv .venv && .venv/bin/pip install websockets"""
import asyncio
import sys
import time

from websockets.asyncio.server import serve
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory


def make_echo(delay):
    async def echo(ws):
        try:
            async for message in ws:
                time.sleep(delay)  # blocks the only thread on purpose
                await ws.send(message)
        except Exception:
            pass
    return echo


async def main(port, delay):
    async with serve(make_echo(delay), "127.0.0.1", port, max_size=None, max_queue=None, ping_interval=None,
                     compression=None, extensions=[ServerPerMessageDeflateFactory()],
                     server_header="slow-echo-server"):
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2] if len(sys.argv) > 2 else 1) / 1000))
