#!/usr/bin/env python3
"""Merges the verdicts of a run of some cases into a peer's baseline (both Autobahn-shaped
index.json files): the run's cases replace the baseline's entries of the same ids, every other
entry is kept, and the file is written back in its own layout (keys in string order, its indent,
its final newline or none), so that the diff shows only what changed.
Usage: merge-baseline.py BASELINE RUN_INDEX AGENT"""
import json, sys

def main(baseline_path, run_path, agent):
    with open(baseline_path) as f:
        text = f.read()
    baseline = json.loads(text)
    second = text.split("\n", 2)[1] if text.count("\n") >= 1 else ""
    indent = (len(second) - len(second.lstrip(" "))) or 3
    with open(run_path) as f:
        run = json.load(f)
    if agent not in run:
        sys.exit(f"merge-baseline: {run_path} has no agent {agent}")
    merged = dict(baseline.get(agent, {}))
    merged.update(run[agent])
    baseline[agent] = {c: merged[c] for c in sorted(merged)}
    with open(baseline_path, "w") as f:
        json.dump(baseline, f, indent=indent)
        if text.endswith("\n"):
            f.write("\n")
    print(f"merge-baseline: {len(run[agent])} cases of {agent} merged into {baseline_path} ({len(merged)} in all)")

if __name__ == "__main__":
    main(*sys.argv[1:4])
