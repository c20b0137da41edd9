#!/usr/bin/env python3
"""Decides the interop gate from `wsconform diff --format json` on stdin: every verdict change fails,
except in cases listed in the peer's unstable file (one "ID  reason" per line, # comments), whose
verdict depends on timing in the peer itself; those are printed as notes. Cases listed in LEFT_OUT
(one id per line: the ones a lane deliberately did not run) may be missing from NEW; any other
missing case is a change.
Usage: wsconform diff OLD NEW --format json | interop-gate.py UNSTABLE_FILE [LEFT_OUT]
Exit 0 when nothing unexpected changed, 1 otherwise."""
import json, sys

def unstable_ids(path):
    try:
        with open(path) as f:
            return {line.split()[0] for line in f if line.strip() and not line.lstrip().startswith("#")}
    except FileNotFoundError:
        return set()

def left_out_ids(path):
    if path is None:
        return set()
    with open(path) as f:
        return {line.strip() for line in f if line.strip()}

def main(path, left_out_path=None):
    diff = json.load(sys.stdin)
    allowed = unstable_ids(path)
    left_out = left_out_ids(left_out_path)
    failing = 0
    for t in diff["transitions"]:
        if t["kind"] in ("unchanged", "observation-changed"):
            continue
        if t["kind"] == "removed" and t["id"] in left_out:
            continue
        line = f'{t["kind"]:>10} {t["id"]}: ' + "; ".join(t.get("details") or [])
        if t["id"] in allowed:
            print(f"  note (unstable in this peer, see {path}): {line}")
        else:
            print(f"  CHANGED {line}")
            failing += 1
    return 1 if failing else 0

if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
