#!/usr/bin/env python3
"""A hostile WebSocket server for the harness's memory bound: after the opening handshake it floods
the client with frames as fast as the socket takes them, and ignores everything the client sends.
Usage: flood_server.py PORT MODE [SECONDS]
  MODE big      1 MiB binary messages
       tiny     1-octet binary messages
       fragments  one binary message that never ends: 1-octet continuation frames forever
Each connection is flooded for at most SECONDS (default 20) or 4 GiB, whichever comes first, then
closed: every load loop here is bounded. Standard library only."""
import base64
import hashlib
import socket
import sys
import threading
import time
from wsframe import frame

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def handshake(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return False
        data += chunk
    key = b""
    for line in data.split(b"\r\n"):
        if line.lower().startswith(b"sec-websocket-key:"):
            key = line.split(b":", 1)[1].strip()
    accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
    conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 b"Server: flood-server\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n")
    return True


def drain(conn):
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass


def flood(conn, mode, seconds):
    try:
        if not handshake(conn):
            return
        threading.Thread(target=drain, args=(conn,), daemon=True).start()
        if mode == "big":
            chunk = frame(0x2, b"\xab" * (1 << 20))
        elif mode == "tiny":
            chunk = frame(0x2, b"\x01") * 65536
        else:
            conn.sendall(frame(0x2, b"\x01", fin=False))
            chunk = frame(0x0, b"\x01", fin=False) * 65536
        sent, limit, until = 0, 4 << 30, time.monotonic() + seconds
        while sent < limit and time.monotonic() < until:
            conn.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    port, mode = int(sys.argv[1]), sys.argv[2]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 20.0
    if mode not in ("big", "tiny", "fragments"):
        sys.exit("flood_server.py: MODE is big, tiny or fragments")
    server = socket.create_server(("127.0.0.1", port))
    while True:
        conn, _ = server.accept()
        threading.Thread(target=flood, args=(conn, mode, seconds), daemon=True).start()


if __name__ == "__main__":
    main()
