#!/usr/bin/env python3
"""A small RFC 8441 WebSocket echo server over HTTP/2 (h2c, prior knowledge) with exactly one fault
chosen on the command line, for the tests of section 28 (Cases/28-http2.yaml). Needs the `h2`
package (hyper-h2, installed with Hypercorn into .build-interop/venv by scripts/interop.sh); its
own header validation is off so that each rule is checked here, once, and can be broken alone.

Usage: faulty_h2_server.py PORT FAULT      (PORT 0: any free port; it prints the one it chose)

Without a fault ("none") it is a careful server: SETTINGS_ENABLE_CONNECT_PROTOCOL = 1; malformed
requests reset with PROTOCOL_ERROR (RFC 9113 §8.1.1); refusals end their stream; version 13 only
(426 with sec-websocket-version: 13); a 200 without HTTP/1.1 fields; each WebSocket its own stream
(a violation closes it with 1002/1007 and END_STREAM); flow control both ways; DATA after
END_STREAM answered with RST_STREAM STREAM_CLOSED (GOAWAY STREAM_CLOSED once the stream is closed); a client's GOAWAY lets open streams
finish (it is kept from hyper-h2, which would take it for the end of the connection). No subprotocol and no permessage-deflate is ever selected. Each fault breaks one rule:

  no-connect-setting        never advertises SETTINGS_ENABLE_CONNECT_PROTOCOL
  setting-zero-after-one    advertises 1, then sends SETTINGS_ENABLE_CONNECT_PROTOCOL = 0
  accept-protocol-any-method  opens a WebSocket for :protocol on any method, not only CONNECT
  accept-connection-fields  accepts connection-specific fields (connection, upgrade, te: gzip ...)
  accept-uppercase          accepts field names with upper-case letters
  no-version-check          opens whatever sec-websocket-version says (or without one)
  send-accept               adds an HTTP/1.1 sec-websocket-accept to its 200
  refusal-left-open         refuses with a status but never ends the stream
  close-connection-on-stream-end  closes the TCP connection when one WebSocket's stream ends
  kill-on-violation         closes the whole connection on a WebSocket protocol violation
  no-window-update          never opens its receive windows (no WINDOW_UPDATE)
  ignore-data-after-end     drops DATA that arrives after the client's END_STREAM, unanswered
  drop-on-goaway            closes the connection when the client sends GOAWAY
"""
import signal
import socket
import sys
import threading

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.exceptions
import h2.settings
from wsframe import frame, header

FAULTS = ("none", "no-connect-setting", "setting-zero-after-one", "accept-protocol-any-method", "accept-connection-fields",
          "accept-uppercase", "no-version-check", "send-accept", "refusal-left-open", "close-connection-on-stream-end",
          "kill-on-violation", "no-window-update", "ignore-data-after-end", "drop-on-goaway")
PSEUDO = {":method", ":scheme", ":path", ":authority", ":protocol"}
CONNECTION_SPECIFIC = {"connection", "upgrade", "keep-alive", "transfer-encoding", "proxy-connection"}
FAULT = "none"


class Malformed(Exception):
    """A request RFC 9113 calls malformed: reset with PROTOCOL_ERROR."""


class Refused(Exception):
    def __init__(self, status, headers=()):
        super().__init__(status)
        self.status, self.headers = status, list(headers)


def check_request(headers):
    """The request's fields as (name, value) strings; returns the dict of pseudo-header fields."""
    pseudo, regular_seen = {}, False
    for name, value in headers:
        if name.startswith(":"):
            if name not in PSEUDO or name in pseudo or regular_seen:
                raise Malformed(name)
            pseudo[name] = value
            continue
        regular_seen = True
        if name != name.lower() and FAULT != "accept-uppercase":
            raise Malformed("upper case")
        if any(c in name for c in " \t\r\n:\0") or not name:
            raise Malformed("field name")
        if FAULT != "accept-connection-fields":
            if name.lower() in CONNECTION_SPECIFIC or (name.lower() == "te" and value != "trailers"):
                raise Malformed("connection-specific")
    for name, value in headers:
        if any(c in value for c in "\r\n\0") or value != value.strip(" \t"):
            raise Malformed("field value")
    method = pseudo.get(":method")
    if ":protocol" in pseudo:
        if method != "CONNECT" and FAULT != "accept-protocol-any-method":
            raise Malformed(":protocol without CONNECT")
    elif method == "CONNECT":
        if ":scheme" in pseudo or ":path" in pseudo:
            raise Malformed("plain CONNECT with :scheme or :path")
        raise Refused(405)
    else:
        if method is None or ":scheme" not in pseudo or not pseudo.get(":path"):
            raise Malformed("request pseudo-header fields")
        raise Refused(404)
    if ":scheme" not in pseudo or ":path" not in pseudo or not pseudo[":path"]:
        raise Malformed(":scheme and :path")
    if pseudo[":protocol"] != "websocket":
        raise Refused(400)
    if pseudo[":scheme"] not in ("http", "https") or not pseudo[":path"].startswith("/"):
        raise Refused(400)
    fields = {n.lower(): v for n, v in headers if not n.startswith(":")}
    if "host" in fields and ":authority" in pseudo and fields["host"] != pseudo[":authority"]:
        raise Refused(400)
    if fields.get("sec-websocket-version") != "13" and FAULT != "no-version-check":
        raise Refused(426, [("sec-websocket-version", "13")])
    return pseudo


class WebSocket:
    """RFC 6455 frames of one stream: masked from the client, echoed unmasked."""

    def __init__(self):
        self.buffer = bytearray()
        self.message, self.opcode = bytearray(), None
        self.closed = False

    def feed(self, data):
        """Returns (frames to send, close code if the WebSocket is over)."""
        self.buffer += data
        out = []
        while not self.closed:
            b = self.buffer
            head = header(b)
            if head is None:
                break
            fin, opcode, masked, length, at = head
            if b[0] & 0x70 or opcode not in (0, 1, 2, 8, 9, 10) or not masked:
                return out + [close_frame(1002)], 1002
            if len(b) < at + 4 + length:
                break
            key = bytes(b[at:at + 4])
            raw = bytes(b[at + 4:at + 4 + length])
            del b[:at + 4 + length]
            mask = int.from_bytes((key * (length // 4 + 1))[:length], "big")
            payload = (int.from_bytes(raw, "big") ^ mask).to_bytes(length, "big") if length else b""
            if opcode == 8:
                self.closed = True
                code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1000
                return out + [close_frame(code)], code
            if opcode == 9:
                out.append(frame(10, payload))
                continue
            if opcode == 10:
                continue
            if opcode != 0:
                if self.opcode is not None:
                    return out + [close_frame(1002)], 1002
                self.opcode = opcode
            elif self.opcode is None:
                return out + [close_frame(1002)], 1002
            self.message += payload
            if fin:
                message, opcode, self.message, self.opcode = bytes(self.message), self.opcode, bytearray(), None
                if opcode == 1:
                    try:
                        message.decode("utf-8")
                    except UnicodeDecodeError:
                        return out + [close_frame(1007)], 1007
                out.append(frame(opcode, message))
        return out, None


def close_frame(code):
    return frame(8, code.to_bytes(2, "big"))


class Connection:
    def __init__(self, sock):
        self.sock = sock
        config = h2.config.H2Configuration(client_side=False, validate_inbound_headers=False,
                                           normalize_inbound_headers=False, validate_outbound_headers=False)
        self.h2 = h2.connection.H2Connection(config=config)
        self.sockets = {}  # stream id -> WebSocket
        self.pending = {}  # stream id -> [bytes to send, end the stream after]
        self.ended = set()  # streams the client ended
        self.preface_passed = False
        self.after_end = []  # streams that got DATA after the client's END_STREAM

    def run(self):
        settings = {h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: 100}
        if FAULT != "no-connect-setting":
            settings[h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL] = 1
        self.h2.local_settings = h2.settings.Settings(client=False, initial_values=settings)
        self.h2.initiate_connection()
        if FAULT == "setting-zero-after-one":
            self.h2.update_settings({h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL: 0})
        self.send()
        scan = bytearray()
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            scan += data
            data = self.filter(scan)
            try:
                events = self.h2.receive_data(data)
            except h2.exceptions.ProtocolError:
                self.send()
                return
            for event in events:
                if not self.handle(event):
                    self.send()
                    return
            for stream in self.after_end:
                try:
                    self.h2.reset_stream(stream, h2.errors.ErrorCodes.STREAM_CLOSED)
                except h2.exceptions.StreamClosedError:
                    self.h2.close_connection(error_code=h2.errors.ErrorCodes.STREAM_CLOSED)
                    self.send()
                    return
            self.after_end.clear()
            self.flush()
            self.send()

    def filter(self, scan):
        """Whole frames from `scan` for hyper-h2, without a client's GOAWAY (hyper-h2 would treat
        it as the end of the connection, which it is not: it only refuses pushed streams, and this
        server pushes none) and, with ignore-data-after-end, without DATA on streams the client ended."""
        out = bytearray()
        if not self.preface_passed:
            if len(scan) < 24:
                return bytes(out)
            out += scan[:24]
            del scan[:24]
            self.preface_passed = True
        while len(scan) >= 9:
            length = int.from_bytes(scan[0:3], "big")
            if len(scan) < 9 + length:
                break
            kind, flags, stream = scan[3], scan[4], int.from_bytes(scan[5:9], "big") & 0x7FFFFFFF
            whole = bytes(scan[:9 + length])
            del scan[:9 + length]
            if kind == 7 and FAULT != "drop-on-goaway":
                continue
            if kind == 0 and stream in self.ended:
                # RFC 9113 §5.1, answered here so that it does not depend on hyper-h2's bookkeeping.
                if FAULT != "ignore-data-after-end":
                    self.after_end.append(stream)
                continue
            if kind in (0, 1) and flags & 1:
                self.ended.add(stream)
            out += whole
        return bytes(out)

    def handle(self, event):
        """False: close the connection."""
        if isinstance(event, h2.events.RequestReceived):
            self.request(event.stream_id, [(n.decode() if isinstance(n, bytes) else n, v.decode() if isinstance(v, bytes) else v)
                                           for n, v in event.headers])
        elif isinstance(event, h2.events.DataReceived):
            if FAULT != "no-window-update" and event.flow_controlled_length:
                self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            ws = self.sockets.get(event.stream_id)
            if ws is not None and event.data:
                frames, code = ws.feed(event.data)
                self.queue(event.stream_id, b"".join(frames), end=code is not None)
                if code is not None and code != 1000 and code < 3000 and FAULT == "kill-on-violation" and not ws.closed:
                    self.flush()
                    return False
                ws.closed = ws.closed or code is not None
        elif isinstance(event, h2.events.StreamEnded):
            ws = self.sockets.pop(event.stream_id, None)
            if ws is not None and FAULT == "close-connection-on-stream-end":
                self.flush()
                return False
            if ws is not None and not ws.closed:
                self.queue(event.stream_id, b"", end=True)
        elif isinstance(event, h2.events.StreamReset):
            self.sockets.pop(event.stream_id, None)
            self.pending.pop(event.stream_id, None)
        elif isinstance(event, h2.events.ConnectionTerminated):
            if FAULT == "drop-on-goaway":
                return False
        elif isinstance(event, h2.events.WindowUpdated):
            pass
        return True

    def request(self, stream, headers):
        try:
            check_request(headers)
        except Malformed:
            self.h2.reset_stream(stream, h2.errors.ErrorCodes.PROTOCOL_ERROR)
            return
        except Refused as refusal:
            self.h2.send_headers(stream, [(":status", str(refusal.status))] + refusal.headers,
                                 end_stream=FAULT != "refusal-left-open")
            return
        answer = [(":status", "200"), ("server", "faulty_h2_server")]
        if FAULT == "send-accept":
            answer.append(("sec-websocket-accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
        self.h2.send_headers(stream, answer)
        self.sockets[stream] = WebSocket()

    def queue(self, stream, data, end):
        entry = self.pending.setdefault(stream, [bytearray(), False])
        entry[0] += data
        entry[1] = entry[1] or end

    def flush(self):
        """Sends what the flow-control windows allow."""
        for stream in list(self.pending):
            data, end = self.pending[stream]
            try:
                while data:
                    n = min(len(data), self.h2.local_flow_control_window(stream), self.h2.max_outbound_frame_size)
                    if n <= 0:
                        break
                    self.h2.send_data(stream, bytes(data[:n]))
                    del data[:n]
                if not data:
                    if end:
                        self.h2.end_stream(stream)
                    del self.pending[stream]
            except (h2.exceptions.StreamClosedError, h2.exceptions.ProtocolError, KeyError):
                self.pending.pop(stream, None)

    def send(self):
        out = self.h2.data_to_send()
        if out:
            try:
                self.sock.sendall(out)
            except OSError:
                pass


def serve(sock):
    try:
        Connection(sock).run()
    finally:
        sock.close()


def main():
    global FAULT
    if len(sys.argv) != 3 or sys.argv[2] not in FAULTS:
        sys.exit("usage: faulty_h2_server.py PORT FAULT  (FAULT: " + ", ".join(FAULTS) + ")")
    FAULT = sys.argv[2]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", int(sys.argv[1])))
    listener.listen(128)
    print(f"faulty_h2_server: {FAULT} on 127.0.0.1:{listener.getsockname()[1]}", flush=True)
    while True:
        sock, _ = listener.accept()
        threading.Thread(target=serve, args=(sock,), daemon=True).start()


if __name__ == "__main__":
    main()
