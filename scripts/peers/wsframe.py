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
