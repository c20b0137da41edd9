#!/usr/bin/env python3
"""A WebSocket echo server (Python standard library only, a thread per connection) that aborts
itself (SIGABRT) when it receives a text message of exactly N octets, after saying so on stderr.
It is the server that dies mid-run in the tests of test-server --server-cmd.
Usage: dying_echo_server.py PORT N"""
import base64
import hashlib
import os
import socket
import socketserver
import struct
import sys

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def read_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def send_frame(sock, opcode, payload):
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 65536:
        header = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    sock.sendall(header + payload)


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        sock = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                return
            head += chunk
        key = next((line.split(b":", 1)[1].strip() for line in head.split(b"\r\n")
                    if line.lower().startswith(b"sec-websocket-key:")), None)
        if key is None:
            sock.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
        sock.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Server: dying-echo-server\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        message, message_opcode = b"", None
        try:
            while True:
                b0, b1 = read_exactly(sock, 2)
                opcode, fin, n = b0 & 0x0F, b0 & 0x80, b1 & 0x7F
                if n == 126:
                    n = struct.unpack("!H", read_exactly(sock, 2))[0]
                elif n == 127:
                    n = struct.unpack("!Q", read_exactly(sock, 8))[0]
                mask = read_exactly(sock, 4) if b1 & 0x80 else b"\0\0\0\0"
                payload = bytes(c ^ mask[i % 4] for i, c in enumerate(read_exactly(sock, n)))
                if opcode == 8:
                    send_frame(sock, 8, payload[:2])
                    return
                if opcode == 9:
                    send_frame(sock, 10, payload)
                    continue
                if opcode == 10:
                    continue
                if opcode in (1, 2):
                    message, message_opcode = b"", opcode
                message += payload
                if not fin:
                    continue
                if message_opcode == 1 and len(message) == self.server.die_on:
                    print(f"dying_echo_server: got a text message of {len(message)} octets, aborting on purpose",
                          file=sys.stderr, flush=True)
                    os.abort()
                send_frame(sock, message_opcode, message)
        except (EOFError, OSError):
            return


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    server = Server(("127.0.0.1", int(sys.argv[1])), Handler)
    server.die_on = int(sys.argv[2])
    print(f"dying_echo_server: listening on {sys.argv[1]}", file=sys.stderr, flush=True)
    server.serve_forever()
