#!/usr/bin/env python2
"""Dump what every Autobahn|Testsuite case does in onOpen, as a JSON oracle for wsconform's catalog tests.

Run with the Python 2.7 that has autobahntestsuite 25.10.1 installed:
    python2 scripts/autobahn-case-dump.py > Tests/Fixtures/autobahn-cases.json

A fake protocol object records every wire primitive the case calls (sendFrame, sendMessage, sendClose,
sendCloseFrame, streamed frames, timers) instead of touching a socket. Continuations run at once, as if
the connection stayed open. Payloads longer than 256 octets are recorded as length + FNV-1a-64 digest.
"""
import json, sys, hashlib

from autobahntestsuite.case import Cases, CaseBasename
from autobahntestsuite.case.case import Case
from autobahn.websocket.protocol import WebSocketProtocol

def fnv1a64(data):
    h = 0xcbf29ce484222325
    for ch in data:
        h ^= ord(ch)
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h

def pl(data):
    if data is None:
        data = ""
    if isinstance(data, unicode):
        data = data.encode("utf-8")
    if len(data) <= 256:
        return {"len": len(data), "hex": data.encode("hex")}
    return {"len": len(data), "fnv": fnv1a64(data)}

class Factory(object):
    isServer = False

class FakeProtocol(object):
    CLOSE_STATUS_CODE_NORMAL = 1000
    CLOSE_STATUS_CODE_GOING_AWAY = 1001
    CLOSE_STATUS_CODE_PROTOCOL_ERROR = 1002
    CLOSE_STATUS_CODE_INVALID_PAYLOAD = 1007

    def __init__(self):
        self.actions = []
        self.factory = Factory()
        self.state = WebSocketProtocol.STATE_OPEN
        self.autoFragmentSize = 0
        self.createWirelog = True
        self._perMessageCompress = object()   # pretend deflate was negotiated (sections 12/13)
        self.perMessageCompressionOffers = []
        self.perMessageCompressionAccept = None

    def sendFrame(self, opcode, payload="", fin=True, rsv=0, mask=None, payload_len=None, chopsize=None, sync=False):
        data = payload
        if payload_len is not None:
            data = (payload * (payload_len // max(1, len(payload)) + 1))[:payload_len]
        self.actions.append({"op": "frame", "opcode": opcode, "fin": bool(fin), "rsv": rsv,
                             "payload": pl(data), "chop": chopsize, "sync": bool(sync),
                             "mask": mask, "repeat": payload_len is not None})

    def sendMessage(self, payload, isBinary=False, fragmentSize=None, sync=False, doNotCompress=False):
        self.actions.append({"op": "message", "binary": bool(isBinary), "payload": pl(payload),
                             "fragmentSize": fragmentSize, "autoFragmentSize": self.autoFragmentSize,
                             "sync": bool(sync)})

    def sendClose(self, code=None, reason=None):
        self.actions.append({"op": "close", "code": code, "reason": pl(reason)})

    def sendCloseFrame(self, code=None, reasonUtf8=None, isReply=False):
        self.actions.append({"op": "closeFrame", "code": code, "reason": pl(reasonUtf8)})

    def beginMessage(self, isBinary=False, doNotCompress=False):
        self.actions.append({"op": "beginMessage", "binary": bool(isBinary)})

    def beginMessageFrame(self, length):
        self.actions.append({"op": "beginMessageFrame", "length": length})

    def sendMessageFrameData(self, payload, sync=False):
        self.actions.append({"op": "frameData", "payload": pl(payload)})

    def endMessage(self):
        self.actions.append({"op": "endMessage"})

    def killAfter(self, delay):
        self.actions.append({"op": "killAfter", "delay": delay})

    def closeAfter(self, delay):
        self.actions.append({"op": "closeAfter", "delay": delay})

    def continueLater(self, delay, fun, tag=None):
        self.actions.append({"op": "continueLater", "delay": delay, "tag": tag})
        fun()

    def enableWirelog(self, enable):
        self.createWirelog = enable

def event(e):
    if e[0] == "message":
        return ["message", pl(e[1]), bool(e[2])]
    if e[0] in ("pong", "ping"):
        return [e[0], pl(e[1])]
    return list(e)

out = []
base = len(CaseBasename)
for index, C in enumerate(Cases):
    cid = ".".join(C.__name__[base:].split("_"))
    p = FakeProtocol()
    c = C(p)
    c.onOpen()
    entry = {
        "id": cid,
        "index": index + 1,
        "actions": p.actions,
        "expected": dict((k, [event(e) for e in v]) for k, v in c.expected.items()),
        "expectedClose": c.expectedClose,
        "suppressClose": c.suppressClose,
        "reportTime": c.reportTime,
        "reportCompressionRatio": c.reportCompressionRatio,
        "behaviorAfterOpen": c.behavior,
        "resultAfterOpen": c.result,
        "overridesConnectionLost": C.onConnectionLost.__func__ is not Case.onConnectionLost.__func__,
        "overridesOnMessage": C.onMessage.__func__ is not Case.onMessage.__func__,
    }
    for attr in ("LEN", "COUNT", "WAITSECS", "AUTOFRAGSIZE", "BINARY", "DATALEN", "FRAGSIZE"):
        if hasattr(c, attr):
            entry[attr] = getattr(c, attr)
    if hasattr(C, "TESTDATA"):
        entry["dataset"] = C.TESTDATA["file"]
        entry["datasetBinary"] = C.TESTDATA["binary"]
        entry["offers"] = [o.getExtensionString() for o in C.CLIENT_OFFERS]
        entry["serverAccept"] = C.SERVER_ACCEPT.__name__
    out.append(entry)

sys.stdout.write("[\n" + ",\n".join(json.dumps(e, sort_keys=True, separators=(",", ":")) for e in out) + "\n]\n")
