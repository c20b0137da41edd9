#!/usr/bin/env python3
"""A small WebSocket echo server with exactly one weakness chosen on the command line, for the
tests of section 27 (Cases/27-robustness.yaml). Standard library only.

Usage: faulty_server.py PORT WEAKNESS [--max-size N] [--max-connections N]

Without a weakness ("none") it is a careful server: a 3 s timeout for the whole request head, at most 16 KiB and
100 fields of request head (else 431), permessage-deflate (its answers are sent uncompressed),
messages and inflated messages limited to --max-size octets (1009 at the frame header or as soon as
inflating passes it), strict frame and Close checks, the peer's close code echoed, a thread per
connection up to --max-connections (default 1000; 503 beyond). Each weakness removes one of these defences:

  inflate-unbounded     inflates compressed messages without a limit (a decompression bomb's victim)
  buffer-fragments      checks the size of single frames only: a fragmented message grows forever
  no-handshake-timeout  waits for a request head forever (a slowloris victim)
  close-lenient         answers every Close with 1000, and an invalid 1-octet Close with an empty Close
  thread-pool           serves connections from a fixed pool of 32 threads: the 33rd waits unanswered
"""
import base64
import hashlib
import queue
import signal
import socket
import sys
import threading
import time
import zlib
from wsframe import frame

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
WEAKNESSES = ("none", "inflate-unbounded", "buffer-fragments", "no-handshake-timeout", "close-lenient", "thread-pool")
POOL_SIZE = 32


class Failed(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


class Conn:
    def __init__(self, sock, weakness, max_size):
        self.sock, self.weakness, self.max_size = sock, weakness, max_size
        self.buf = bytearray()
        self.out = bytearray()
        self.deflate = False
        self.reset_context = False
        self.inflater = None

    # -- I/O -------------------------------------------------------------------------------
    def fill(self):
        data = self.sock.recv(262144)
        if not data:
            raise ConnectionError("peer closed")
        self.buf += data

    def need(self, n):
        while len(self.buf) < n:
            self.flush()
            self.fill()

    def take(self, n):
        self.need(n)
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data

    def flush(self):
        if self.out:
            self.sock.sendall(self.out)
            self.out.clear()

    def send(self, opcode, payload=b""):
        self.out += frame(opcode, payload)

    # -- Opening handshake ---------------------------------------------------------------------
    def handshake(self):
        # One deadline for the whole head: a per-read timeout would let one octet a second through.
        deadline = None if self.weakness == "no-handshake-timeout" else time.monotonic() + 3
        try:
            while b"\r\n\r\n" not in self.buf:
                if len(self.buf) > 16384:
                    return self.refuse(431, "Request Header Fields Too Large")
                if deadline is not None:
                    self.sock.settimeout(max(0.001, deadline - time.monotonic()))
                self.fill()
        except socket.timeout:
            return self.refuse(408, "Request Timeout")
        self.sock.settimeout(None)
        end = self.buf.index(b"\r\n\r\n")
        head, rest = bytes(self.buf[:end]), self.buf[end + 4:]
        self.buf = bytearray(rest)
        if len(head) > 16384:
            return self.refuse(431, "Request Header Fields Too Large")
        lines = head.decode("latin-1").split("\r\n")
        if len(lines) > 101:
            return self.refuse(431, "Request Header Fields Too Large")
        fields = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            fields.setdefault(name.strip().lower(), []).append(value.strip())
        key = fields.get("sec-websocket-key", [""])
        if not lines[0].startswith("GET ") or len(key) != 1 or fields.get("sec-websocket-version") != ["13"]:
            return self.refuse(400, "Bad Request")
        accept = base64.b64encode(hashlib.sha1(key[0].encode() + GUID).digest()).decode()
        response = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    f"Sec-WebSocket-Accept: {accept}\r\nServer: faulty-{self.weakness}\r\n")
        offers = ",".join(fields.get("sec-websocket-extensions", []))
        for offer in offers.split(","):
            params = [p.strip() for p in offer.split(";")]
            if params[0] == "permessage-deflate" and all(
                    p in ("client_no_context_takeover", "server_no_context_takeover") for p in params[1:]):
                self.deflate = True
                self.reset_context = "client_no_context_takeover" in params[1:]
                self.inflater = zlib.decompressobj(-15)
                response += "Sec-WebSocket-Extensions: " + "; ".join(params) + "\r\n"
                break
        self.sock.sendall((response + "\r\n").encode())
        return True

    def refuse(self, status, reason):
        body = reason.encode()
        self.sock.sendall(f"HTTP/1.1 {status} {reason}\r\nContent-Length: {len(body)}\r\n"
                          f"Connection: close\r\n\r\n".encode() + body)
        return False

    # -- Frames ----------------------------------------------------------------------------------
    def frame(self):
        b0, b1 = self.take(2)
        fin, rsv, opcode, masked, n = b0 >> 7, (b0 >> 4) & 7, b0 & 15, b1 >> 7, b1 & 127
        if n == 126:
            n = int.from_bytes(self.take(2), "big")
        elif n == 127:
            n = int.from_bytes(self.take(8), "big")
            if n >> 63:
                raise Failed(1002)
        if not masked or opcode in (3, 4, 5, 6, 7) or opcode > 10:
            raise Failed(1002)
        if opcode >= 8 and (n > 125 or not fin):
            raise Failed(1002)
        if rsv & 3 or (rsv & 4 and not (self.deflate and opcode in (1, 2))):
            raise Failed(1002)
        return fin, rsv, opcode, n

    def payload(self, n):
        key = self.take(4)
        data = self.take(n)
        if not any(key):
            return data
        mask = (key * (n // 4 + 1))[:n]
        return (int.from_bytes(data, "big") ^ int.from_bytes(mask, "big")).to_bytes(n, "big")

    def inflate(self, data, final, produced):
        # max_length 0 means no limit; otherwise stop one octet past the limit (produced <= max_size).
        limit = 0 if self.weakness == "inflate-unbounded" else self.max_size + 1 - produced
        out = self.inflater.decompress(data + (b"\x00\x00\xff\xff" if final else b""), limit)
        if limit and len(out) >= limit:
            raise Failed(1009)
        if final and self.reset_context:
            self.inflater = zlib.decompressobj(-15)
        return out

    def serve(self):
        message, kind, compressed, produced = None, 0, False, 0
        while True:
            fin, rsv, opcode, n = self.frame()
            deflated = bool(rsv & 4) if opcode in (1, 2) else compressed
            too_big = n > self.max_size or (message is not None and self.weakness != "buffer-fragments"
                                           and not deflated and len(message) + n > self.max_size)
            if opcode < 8 and too_big:
                raise Failed(1009)
            data = self.payload(n)
            if opcode == 9:
                self.send(10, data)
            elif opcode == 10:
                pass
            elif opcode == 8:
                return self.close_reply(data)
            else:
                if (opcode == 0) != (message is not None):
                    raise Failed(1002)
                if opcode != 0:
                    message, kind, compressed, produced = bytearray(), opcode, bool(rsv & 4), 0
                if compressed:
                    data = self.inflate(data, fin, produced)
                    produced += len(data)
                message += data
                if fin:
                    if kind == 1:
                        try:
                            bytes(message).decode("utf-8")
                        except UnicodeDecodeError:
                            raise Failed(1007)
                    self.send(kind, bytes(message))
                    message = None
            if not self.buf:
                self.flush()

    def close_reply(self, data):
        if len(data) == 1:
            if self.weakness == "close-lenient":
                self.send(8)
                return
            raise Failed(1002)
        if self.weakness == "close-lenient":
            self.send(8, (1000).to_bytes(2, "big") if data else b"")
            return
        if data:
            code = int.from_bytes(data[:2], "big")
            valid = code in (1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014) or 3000 <= code <= 4999
            if not valid:
                raise Failed(1002)
            try:
                data[2:].decode("utf-8")
            except UnicodeDecodeError:
                raise Failed(1007)
            self.send(8, data[:2])
        else:
            self.send(8)

    def run(self):
        try:
            if not self.handshake():
                return
            try:
                self.serve()
            except Failed as f:
                self.out.clear()
                self.send(8, f.code.to_bytes(2, "big"))
            self.flush()
            self.sock.shutdown(socket.SHUT_WR)
            self.sock.settimeout(2)
            while self.sock.recv(65536):
                pass
        except (OSError, ConnectionError):
            pass
        finally:
            self.sock.close()


def main():
    # A parent may have blocked or ignored SIGTERM (Foundation's Process passes its mask on).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if len(sys.argv) < 3 or sys.argv[2] not in WEAKNESSES:
        sys.exit(__doc__)
    port, weakness = int(sys.argv[1]), sys.argv[2]
    max_size = int(sys.argv[sys.argv.index("--max-size") + 1]) if "--max-size" in sys.argv else 65536
    max_connections = int(sys.argv[sys.argv.index("--max-connections") + 1]) if "--max-connections" in sys.argv else 1000
    listener = socket.create_server(("127.0.0.1", port))
    print(f"faulty_server: {weakness} on 127.0.0.1:{listener.getsockname()[1]}", flush=True)
    if weakness == "thread-pool":
        waiting = queue.Queue()
        for _ in range(POOL_SIZE):
            threading.Thread(target=pool_worker, args=(waiting,), daemon=True).start()
        while True:
            sock, _ = listener.accept()
            waiting.put(Conn(sock, weakness, max_size))
    active = threading.BoundedSemaphore(max_connections)
    while True:
        sock, _ = listener.accept()
        if not active.acquire(blocking=False):
            Conn(sock, weakness, max_size).refuse(503, "Service Unavailable")
            sock.close()
            continue
        threading.Thread(target=serve, args=(Conn(sock, weakness, max_size), active), daemon=True).start()


def pool_worker(waiting):
    while True:
        waiting.get().run()


def serve(conn, active):
    try:
        conn.run()
    finally:
        active.release()


if __name__ == "__main__":
    main()
