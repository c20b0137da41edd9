#!/usr/bin/env python3
"""A small RFC 8441 WebSocket echo client over HTTP/2 (h2c, prior knowledge) with exactly one fault
chosen on the command line, for the tests of section 28.9 (Cases/28-http2.yaml), where wsconform's
test-client is the server. Needs the `h2` package (hyper-h2, installed with Hypercorn into
.build-interop/venv by scripts/interop.sh); its header validation is off so that each rule is
checked here, once, and can be broken alone.

Usage: faulty_h2_client.py URL FAULT     (URL: ws://HOST:PORT/runCase?casetuple=ID&agent=NAME)

Without a fault ("none") it is a careful client: it waits for SETTINGS_ENABLE_CONNECT_PROTOCOL = 1,
sends an extended CONNECT with :scheme http and :authority and nothing an extended CONNECT does not
use, takes any 2xx that leaves the stream open, and resets the stream (CANCEL) on anything else: a
non-2xx, a 1xx, a connection-specific field, a subprotocol or extension it did not offer (it offers
none). Once open it echoes every message masked, reopens its receive window as it reads, answers a
Close and ends its stream. Each fault breaks one rule:

  lenient            takes any answer as open: on one it should refuse it sends a text frame at once
  https-on-h2c       sends :scheme https over h2c
  no-authority       sends no :authority
  with-key           adds sec-websocket-key, as over HTTP/1.1
  only-200           resets the stream on a 2xx other than 200
  no-window-update   never opens its receive windows (no WINDOW_UPDATE)
"""
import os
import socket
import sys
import time
from urllib.parse import urlsplit

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.settings
from wsframe import frame, header

FAULTS = ("none", "lenient", "https-on-h2c", "no-authority", "with-key", "only-200", "no-window-update")
CONNECTION_SPECIFIC = {"connection", "upgrade", "keep-alive", "transfer-encoding", "proxy-connection"}
DEADLINE = time.monotonic() + 30


def masked(opcode, payload):
    return frame(opcode, payload, key=os.urandom(4))


def refuses(headers, stream_ended, fault):
    """Why a careful client refuses this answer, or None when it opens the WebSocket."""
    status = dict(headers).get(":status", "")
    if not (len(status) == 3 and status.isdigit() and status[0] == "2"):
        return "status " + status
    if fault == "only-200" and status != "200":
        return "not 200"
    if stream_ended:
        return "the answer ended the stream"
    for name, value in headers:
        if name in CONNECTION_SPECIFIC or (name == "te" and value != "trailers"):
            return "connection-specific field " + name
        if name in ("sec-websocket-protocol", "sec-websocket-extensions"):
            return "unoffered " + name
    return None


class Messages:
    """Server frames (unmasked) of one stream, reassembled into messages."""

    def __init__(self):
        self.buffer, self.parts, self.opcode = bytearray(), bytearray(), None

    def feed(self, data):
        """Yields (opcode, payload) for each complete message, ping and close."""
        self.buffer += data
        while True:
            b = self.buffer
            head = header(b)
            if head is None:
                return
            fin, opcode, _, length, at = head
            if len(b) < at + length:
                return
            payload = bytes(b[at:at + length])
            del b[:at + length]
            if opcode >= 8:
                yield opcode, payload
                continue
            if opcode != 0:
                self.opcode = opcode
            self.parts += payload
            if fin:
                yield self.opcode, bytes(self.parts)
                self.parts, self.opcode = bytearray(), None


class Client:
    def __init__(self, url, fault):
        self.url, self.fault = urlsplit(url), fault
        self.sock = socket.create_connection((self.url.hostname, self.url.port), timeout=30)
        config = h2.config.H2Configuration(client_side=True, validate_inbound_headers=False,
                                           validate_outbound_headers=False, normalize_outbound_headers=False,
                                           normalize_inbound_headers=False, header_encoding="utf-8")
        self.conn = h2.connection.H2Connection(config=config)
        self.conn.initiate_connection()
        self.flush()
        self.stream, self.open, self.done = None, False, False
        self.messages = Messages()
        self.connect_enabled = None

    def flush(self):
        data = self.conn.data_to_send()
        if data:
            self.sock.sendall(data)

    def events(self):
        if time.monotonic() > DEADLINE:
            raise SystemExit("faulty_h2_client: timed out")
        data = self.sock.recv(65536)
        if not data:
            self.done = True
            return []
        events = self.conn.receive_data(data)
        self.flush()
        return events

    def request(self):
        path = self.url.path + ("?" + self.url.query if self.url.query else "")
        fields = [(":method", "CONNECT"), (":protocol", "websocket"),
                  (":scheme", "https" if self.fault == "https-on-h2c" else "http"), (":path", path)]
        if self.fault != "no-authority":
            fields.append((":authority", "%s:%d" % (self.url.hostname, self.url.port)))
        fields.append(("sec-websocket-version", "13"))
        if self.fault == "with-key":
            fields.append(("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="))
        self.stream = self.conn.get_next_available_stream_id()
        self.conn.send_headers(self.stream, fields)
        self.flush()

    def send(self, data):
        """Writes `data` on the stream as flow control allows."""
        while data and not self.done:
            window = min(self.conn.local_flow_control_window(self.stream), self.conn.max_outbound_frame_size)
            if window <= 0:
                for event in self.events():
                    self.handle(event)
                continue
            self.conn.send_data(self.stream, data[:window])
            data = data[window:]
            self.flush()

    def handle(self, event):
        if isinstance(event, h2.events.RemoteSettingsChanged):
            setting = event.changed_settings.get(h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL)
            if self.connect_enabled is None:
                self.connect_enabled = setting is not None and setting.new_value == 1
        elif isinstance(event, (h2.events.ResponseReceived, h2.events.InformationalResponseReceived)) and not self.open:
            headers = [(n.decode() if isinstance(n, bytes) else n, v.decode() if isinstance(v, bytes) else v)
                       for n, v in event.headers]
            ended = event.stream_ended is not None if isinstance(event, h2.events.ResponseReceived) else False
            why = refuses(headers, ended, self.fault)
            if why and self.fault != "lenient":
                self.conn.reset_stream(self.stream, h2.errors.ErrorCodes.CANCEL)
                self.flush()
                self.done = True
                return
            self.open = True
            if why:
                self.send(masked(1, b"Hello"))
        elif isinstance(event, h2.events.DataReceived):
            if self.fault != "no-window-update":
                self.conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                self.flush()
            for opcode, payload in self.messages.feed(event.data):
                if opcode == 8:
                    self.send(masked(8, payload[:2]))
                    self.conn.end_stream(self.stream)
                    self.flush()
                elif opcode == 9:
                    self.send(masked(10, payload))
                elif opcode in (1, 2):
                    self.send(masked(opcode, payload))
        elif isinstance(event, (h2.events.StreamEnded, h2.events.StreamReset, h2.events.ConnectionTerminated)):
            self.done = True

    def run(self):
        while self.connect_enabled is None and not self.done:
            for event in self.events():
                self.handle(event)
        if not self.connect_enabled:
            raise SystemExit("faulty_h2_client: the server did not enable extended CONNECT")
        self.request()
        while not self.done:
            for event in self.events():
                self.handle(event)
        self.sock.close()


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in FAULTS:
        sys.exit(__doc__)
    Client(sys.argv[1], sys.argv[2]).run()


if __name__ == "__main__":
    main()
