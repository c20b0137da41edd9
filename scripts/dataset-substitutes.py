#!/usr/bin/env python3
"""Byte-identical model of Sources/WSCatalog/Model/DatasetSubstitutes.swift.

Writes the two generated datasets into a directory and prints their zlib (level 6) ratios next to
those of Autobahn's originals, which is how the generator parameters (bitmap noise 7, 48 % binary
PDF objects) were chosen:

    python3 scripts/dataset-substitutes.py /tmp/subst [path/to/autobahntestsuite/testdata]
"""
import os, struct, sys, zlib

M = (1 << 64) - 1

class SplitMix64:
    def __init__(self, seed): self.s = seed
    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        return z ^ (z >> 31)

def bitmap():
    r = SplitMix64(0x1E4A)
    out = bytearray(b"BM" + struct.pack("<IHHI", 263222, 0, 0, 1078))
    out += struct.pack("<IIIHHIIIIII", 40, 512, 512, 1, 8, 0, 262144, 2835, 2835, 256, 0)
    for i in range(256): out += bytes([i, i, i, 0])
    for y in range(512):
        for x in range(512):
            a = (x * 3 + y * 5) % 512; a = a if a < 256 else 511 - a
            dx, dy = x - 300, y - 220
            b = ((dx * dx + dy * dy) >> 9) % 256; b = b if b < 128 else 255 - b
            v = (a * 5 + b * 6) // 8 + (r.next() % 7) - 3
            out.append(max(0, min(255, v)))
    return bytes(out)

WORDS = ("the of and to in is that for it as with was on be by this are from at an which or "
         "have not has but its can were all their been more one also these other such between when used two than "
         "into only some each most time data may over system results based model both first new using however "
         "method each figure table values section where number function given").split(" ")

def document(size=1042328):
    r = SplitMix64(0x9DF1)
    out = bytearray(b"%PDF-1.2\n%\xe2\xe3\xcf\xd3\n")
    trailer = b"trailer\n<< /Size 0 /Root 1 0 R >>\n%%EOF\n"
    obj = 1
    while True:
        if r.next() % 100 < 48:
            n = 2048 + r.next() % 6144
            body = bytes(r.next() & 0xFF for _ in range(n))
            head = b"%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % (obj, n)
        else:
            body = b""
            target = 1024 + r.next() % 3072
            while len(body) < target:
                count = 4 + r.next() % 8
                words = " ".join(WORDS[r.next() % len(WORDS)] for _ in range(count))
                font = 1 + r.next() % 3; points = 8 + r.next() % 6; tx = 72 + r.next() % 40; ty = 700 - r.next() % 600
                body += b"BT /F%d %d Tf %d %d Td (%s) Tj ET\n" % (font, points, tx, ty, words.encode())
            head = b"%d 0 obj\n<< /Length %d >>\nstream\n" % (obj, len(body))
        chunk = head + body + b"\nendstream\nendobj\n"
        if len(out) + len(chunk) + len(trailer) > size: break
        out += chunk; obj += 1
    pad = size - len(out) - len(trailer)
    out += (b"%" + b" " * (pad - 2) + b"\n") if pad >= 2 else b"\n" * pad
    return bytes(out + trailer)

def ratio(data): return len(zlib.compress(data, 6)) / len(data)

if __name__ == "__main__":
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for name, data, original in (("substitute-image512.bmp", bitmap(), "lena512.bmp"),
                                 ("substitute-document.pdf", document(), "10.1.1.105.5439.pdf")):
        open(os.path.join(outdir, name), "wb").write(data)
        line = "%s: %d octets, zlib ratio %.3f" % (name, len(data), ratio(data))
        if len(sys.argv) > 2:
            line += "; original %s %.3f" % (original, ratio(open(os.path.join(sys.argv[2], original), "rb").read()))
        print(line)
