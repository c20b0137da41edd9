#!/usr/bin/env python3
"""An echo server on Python's `websockets` library with permessage-deflate on, as a peer for
scripts/autobahn-diff.sh and scripts/interop.sh. Usage: websockets_echo_server.py PORT [plain] [--max-size N]
("plain": permessage-deflate off; --max-size: websockets' max_size, default none, as sections 25 and 27 need)
Install: python3 -m venv .venv && .venv/bin/pip install websockets"""
import asyncio
import sys

from websockets.asyncio.server import serve
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory


async def echo(ws):
    try:
        async for message in ws:
            await ws.send(message)
    except Exception:
        pass


async def main(port, plain, max_size):
    extensions = [] if plain else [ServerPerMessageDeflateFactory()]
    async with serve(echo, "127.0.0.1", port, max_size=max_size, max_queue=None, ping_interval=None,
                     compression=None, extensions=extensions,
                     server_header="python-websockets-echo"):
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    limit = int(sys.argv[sys.argv.index("--max-size") + 1]) if "--max-size" in sys.argv else None
    asyncio.run(main(int(sys.argv[1]), "plain" in sys.argv[2:], limit))
