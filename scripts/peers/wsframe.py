"""The one WebSocket frame encoder the standalone peer scripts share (unmasked as a server sends
them; with a masking key as a client must)."""


def frame(opcode, payload, fin=True, key=None):
    """A frame with the shortest length encoding RFC 6455 section 5.2 allows, masked with `key`
    (4 octets) when given."""
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    bit = 0x80 if key else 0
    if n < 126:
        head += bytes([bit | n])
    elif n < 65536:
        head += bytes([bit | 126]) + n.to_bytes(2, "big")
    else:
        head += bytes([bit | 127]) + n.to_bytes(8, "big")
    if not key:
        return head + payload
    mask = int.from_bytes((key * (n // 4 + 1))[:n], "big")
    return head + key + ((int.from_bytes(payload, "big") ^ mask).to_bytes(n, "big") if n else b"")


def header(b):
    """(fin, opcode, masked, payload length, header size without the key) of the frame at the start
    of `b`, or None while its header is incomplete; the first octet's RSV bits are left to the caller."""
    if len(b) < 2:
        return None
    fin, opcode, masked, length, at = b[0] & 0x80, b[0] & 0x0F, b[1] & 0x80, b[1] & 0x7F, 2
    if length == 126:
        if len(b) < 4:
            return None
        length, at = int.from_bytes(b[2:4], "big"), 4
    elif length == 127:
        if len(b) < 10:
            return None
        length, at = int.from_bytes(b[2:10], "big"), 10
    return fin, opcode, masked, length, at

