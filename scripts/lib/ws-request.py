#!/usr/bin/env python3
"""Opens one WebSocket (stdlib only, no extensions) to URL, prints each text message received and
returns when the server closes (e.g. /updateReports, whose reports are written by then).
Usage: ws-request.py ws://127.0.0.1:9001/updateReports?agent=A [TIMEOUT_SECONDS]"""
import base64
import os
import socket
import struct
import sys
from urllib.parse import urlsplit


def main(url, timeout):
    u = urlsplit(url)
    target = (u.path or "/") + (("?" + u.query) if u.query else "")
    s = socket.create_connection((u.hostname, u.port or 80), timeout=timeout)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET {target} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            return 1
        data += chunk
    head, data = data.split(b"\r\n\r\n", 1)
    if b" 101 " not in head.split(b"\r\n")[0]:
        print(head.decode(errors="replace"), file=sys.stderr)
        return 1
    while True:
        while len(data) < 2 or len(data) < frame_end(data):
            chunk = s.recv(65536)
            if not chunk:
                return 0
            data += chunk
        end = frame_end(data)
        opcode, payload = data[0] & 0x0F, data[end - payload_length(data):end]
        data = data[end:]
        if opcode == 1:
            print(payload.decode(errors="replace"))
        elif opcode == 8:
            mask = os.urandom(4)
            body = payload[:2]
            s.sendall(bytes([0x88, 0x80 | len(body)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(body)))
            try:
                while s.recv(4096):
                    pass
            except OSError:
                pass
            return 0


def payload_length(d):
    n = d[1] & 0x7F
    if n == 126:
        return struct.unpack(">H", d[2:4])[0]
    if n == 127:
        return struct.unpack(">Q", d[2:10])[0]
    return n


def frame_end(d):
    if len(d) < 2:
        return 2
    n = d[1] & 0x7F
    header = 2 + (2 if n == 126 else 8 if n == 127 else 0)
    if len(d) < header:
        return header
    return header + payload_length(d)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 60))
