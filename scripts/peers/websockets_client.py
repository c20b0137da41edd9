#!/usr/bin/env python3
"""A client under test on Python's `websockets` library (asyncio API, permessage-deflate on) that
speaks Autobahn's fuzzingserver protocol: /getCaseCount, /runCase?case=N&agent=A for each case
(echoing every message), /updateReports?agent=A.

Usage: websockets_client.py ws://127.0.0.1:9001 [AGENT]        runs every case
       websockets_client.py 'ws://…/runCase?casetuple=1.1.1&agent=A'   runs that one case
         (for `wsconform test-client --client-cmd 'websockets_client.py {url}'`)
Install: python3 -m venv /tmp/pyws && /tmp/pyws/bin/pip install websockets"""
import asyncio
import json
import sys
from urllib.parse import quote

from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

OPTIONS = dict(max_size=None, max_queue=None, ping_interval=None, open_timeout=10, close_timeout=5,
               compression="deflate", user_agent_header="python-websockets-client")


async def echo(uri):
    try:
        async with connect(uri, **OPTIONS) as ws:
            async for message in ws:
                await ws.send(message)
    except (WebSocketException, OSError, asyncio.TimeoutError) as e:
        print(f"{uri}: {type(e).__name__}: {e}", file=sys.stderr)


async def run_all(base, agent):
    async with connect(f"{base}/getCaseCount", **OPTIONS) as ws:
        count = json.loads(await ws.recv())
    for case in range(1, count + 1):
        await echo(f"{base}/runCase?case={case}&agent={quote(agent)}")
    async with connect(f"{base}/updateReports?agent={quote(agent)}", **OPTIONS) as ws:
        try:
            await ws.recv()
        except WebSocketException:
            pass
    print(f"ran {count} cases as {agent}")


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    url = sys.argv[1]
    if "/runCase" in url:
        asyncio.run(echo(url))
    else:
        asyncio.run(run_all(url.rstrip("/"), sys.argv[2] if len(sys.argv) > 2 else "python-websockets"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
