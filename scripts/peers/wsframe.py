"""The one WebSocket frame encoder the standalone peer scripts share (server frames: unmasked)."""


def frame(opcode, payload, fin=True):
    """A frame with the shortest length encoding RFC 6455 section 5.2 allows."""
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([n])
    elif n < 65536:
        head += bytes([126]) + n.to_bytes(2, "big")
    else:
        head += bytes([127]) + n.to_bytes(8, "big")
    return head + payload
