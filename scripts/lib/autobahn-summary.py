#!/usr/bin/env python3
"""Summarises an Autobahn index.json: counts of behavior/behaviorClose per agent, and every case
that is not acceptable (FAILED, WRONG CODE, UNCLEAN, FAILED BY CLIENT, UNIMPLEMENTED).
Exit 1 when such a case exists, so scripts can gate on it.
With --counts: one line of behavior counts over all agents (for summaries), exit 0."""
import collections, json, sys

BAD_BEHAVIOR = {"FAILED", "UNIMPLEMENTED"}
BAD_CLOSE = {"FAILED", "WRONG CODE", "UNCLEAN", "FAILED BY CLIENT"}

def key(case_id):
    return tuple(int(p) for p in case_id.split("."))

def main(path):
    with open(path) as f:
        index = json.load(f)
    bad = 0
    for agent, cases in index.items():
        behavior = collections.Counter(c["behavior"] for c in cases.values())
        close = collections.Counter(c["behaviorClose"] for c in cases.values())
        print(f"{agent}: {len(cases)} cases")
        print("  behavior:      " + ", ".join(f"{k} {v}" for k, v in sorted(behavior.items())))
        print("  behaviorClose: " + ", ".join(f"{k} {v}" for k, v in sorted(close.items())))
        for cid in sorted(cases, key=key):
            c = cases[cid]
            if c["behavior"] in BAD_BEHAVIOR or c["behaviorClose"] in BAD_CLOSE:
                bad += 1
                print(f"  NOT OK {cid}: {c['behavior']} / {c['behaviorClose']} (close code {c['remoteCloseCode']})")
    return 1 if bad else 0

def counts(path):
    with open(path) as f:
        index = json.load(f)
    cases = [c for agent in index.values() for c in agent.values()]
    behavior = collections.Counter(c["behavior"] for c in cases)
    not_ok_close = sum(1 for c in cases if c["behaviorClose"] in BAD_CLOSE)
    print(f"{len(cases)} cases: " + ", ".join(f"{k} {v}" for k, v in sorted(behavior.items()))
          + f"; close not OK {not_ok_close}")
    return 0

if __name__ == "__main__":
    if sys.argv[1] == "--counts":
        sys.exit(counts(sys.argv[2]))
    sys.exit(main(sys.argv[1]))
