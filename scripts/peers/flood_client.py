#!/usr/bin/env python3
"""A hostile WebSocket client for the harness's memory bound (test-client --client-cmd): it opens the
URL it is given, then floods the server with masked frames as fast as the socket takes them and
ignores everything it receives. Usage: flood_client.py URL MODE [SECONDS]
  MODE big | tiny | fragments, as in flood_server.py. At most SECONDS (default 20) or 4 GiB per run.
Standard library only."""
import base64
import os
import socket
import sys
import threading
import time
from urllib.parse import urlsplit


def frame(opcode, payload, fin=True):
    key = b"\x37\xfa\x21\x3d"
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([0x80 | 127]) + n.to_bytes(8, "big")
    masked = bytes(b ^ key[i % 4] for i, b in enumerate(payload)) if n < 4096 else \
        (int.from_bytes(payload, "big") ^ int.from_bytes(key * (n // 4) + key[: n % 4], "big")).to_bytes(n, "big")
    return head + key + masked


def drain(conn):
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass


def main():
    url, mode = urlsplit(sys.argv[1]), sys.argv[2]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 20.0
    conn = socket.create_connection((url.hostname, url.port or 80))
    target = url.path + ("?" + url.query if url.query else "")
    key = base64.b64encode(os.urandom(16)).decode()
    conn.sendall((f"GET {target or '/'} HTTP/1.1\r\nHost: {url.hostname}:{url.port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = conn.recv(4096)
        if not chunk:
            return
        head += chunk
    threading.Thread(target=drain, args=(conn,), daemon=True).start()
    if mode == "big":
        chunk = frame(0x2, b"\xab" * (1 << 20))
    elif mode == "tiny":
        chunk = frame(0x2, b"\x01") * 65536
    elif mode == "fragments":
        conn.sendall(frame(0x2, b"\x01", fin=False))
        chunk = frame(0x0, b"\x01", fin=False) * 65536
    else:
        sys.exit("flood_client.py: MODE is big, tiny or fragments")
    sent, limit, until = 0, 4 << 30, time.monotonic() + seconds
    try:
        while sent < limit and time.monotonic() < until:
            conn.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass
    conn.close()


if __name__ == "__main__":
    main()
