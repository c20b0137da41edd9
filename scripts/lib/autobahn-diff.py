#!/usr/bin/env python3
"""Compares Autobahn's index.json with wsconform's for the same agent: every case where behavior or
behaviorClose differ, agreement per section, and the wall times. Exit 0 when they agree everywhere.

Usage: autobahn-diff.py AUTOBAHN_INDEX WSCONFORM_INDEX [--wall A_SECONDS W_SECONDS]
                        [--results WSCONFORM_RESULTS_JSON] [--autobahn-dir DIR]
"""
import argparse
import json
import os
import sys


def key(case_id):
    return tuple(int(p) for p in case_id.split("."))


def load_index(path):
    with open(path) as f:
        data = json.load(f)
    if not data:
        return {}
    if len(data) > 1:
        print(f"note: {path} has several agents; using the first", file=sys.stderr)
    return next(iter(data.values()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("autobahn")
    ap.add_argument("wsconform")
    ap.add_argument("--wall", nargs=2, type=float)
    ap.add_argument("--results")
    ap.add_argument("--autobahn-dir")
    a = ap.parse_args()

    ab = load_index(a.autobahn)
    ws = load_index(a.wsconform)
    reasons = {}
    if a.results and os.path.exists(a.results):
        with open(a.results) as f:
            for c in json.load(f)["cases"]:
                reasons[c["id"]] = c
    ids = sorted(set(ab) | set(ws), key=key)
    sections = {}
    disagreements = []
    for cid in ids:
        s = cid.split(".")[0]
        st = sections.setdefault(s, {"cases": 0, "agree": 0, "ab_ms": 0, "ws_ms": 0})
        st["cases"] += 1
        x, y = ab.get(cid), ws.get(cid)
        if x:
            st["ab_ms"] += x.get("duration", 0) or 0
        if y:
            st["ws_ms"] += y.get("duration", 0) or 0
        if x and y and x["behavior"] == y["behavior"] and x["behaviorClose"] == y["behaviorClose"]:
            st["agree"] += 1
        else:
            disagreements.append((cid, x, y))

    total = len(ids)
    agree = sum(s["agree"] for s in sections.values())
    print(f"{agree}/{total} cases agree on behavior and behaviorClose")
    if a.wall:
        print(f"wall time: Autobahn {a.wall[0]:.1f} s, wsconform {a.wall[1]:.1f} s")
    print()
    print(f"{'section':<8}{'cases':>6}{'agree':>7}{'Autobahn Σ duration':>22}{'wsconform Σ duration':>23}")
    for s in sorted(sections, key=int):
        st = sections[s]
        print(f"{s:<8}{st['cases']:>6}{st['agree']:>7}{st['ab_ms'] / 1000:>20.2f} s{st['ws_ms'] / 1000:>21.2f} s")
    if disagreements:
        print()
        print("Disagreements (Autobahn | wsconform):")
        for cid, x, y in disagreements:
            fx = f"{x['behavior']} / {x['behaviorClose']}" if x else "missing"
            fy = f"{y['behavior']} / {y['behaviorClose']}" if y else "missing"
            print(f"  {cid:<10} {fx:<32} | {fy}")
            c = reasons.get(cid)
            if c:
                for r in c.get("reasons", []):
                    print(f"      wsconform: {r}")
            if a.autobahn_dir and x:
                path = os.path.join(a.autobahn_dir, x["reportfile"])
                if os.path.exists(path):
                    with open(path) as f:
                        d = json.load(f)
                    print(f"      Autobahn: {d.get('result')} / {d.get('resultClose')}; received {d.get('received')}")
    return 0 if not disagreements else 1


if __name__ == "__main__":
    sys.exit(main())
