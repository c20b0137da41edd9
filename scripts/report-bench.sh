#!/usr/bin/env bash
# What a whole-catalog run costs besides its cases: the size of results.json and report.html, how
# long Chromium takes to load the report (--dump-dom, compared with an empty page), and the time
# from process start to the first case and from the last case to exit.
#
# Target: the report of a whole catalog opens in under 1 s more than an empty page, by the median
# wall time and the median CPU time (Chromium and every process it starts) of `chromium --headless
# --dump-dom`, RUNS runs each, interleaved with the empty page. The script exits 1 when a report
# misses it, or when Chromium does not show a case's detail at its permalink.
#
# Usage: scripts/report-bench.sh [echo|faulty|both] [extra test-server options...]
#   WSCONFORM=path/to/wsconform (default .build/release/wsconform), OUT=dir (default a temp dir),
#   RUNS=n (default 5), CHROMIUM_FLAGS="..." (added to each Chromium run), REUSE=1 (see rerender).
# Peers: the bundled echo server with permessage-deflate (every case passes), and
# scripts/peers/faulty_echo_server.py (echoes every frame unchecked: many cases fail).
# Not in CI: a full catalog run takes a few minutes. Needs python3 and Chromium (Debian `chromium`).
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
wsconform=${WSCONFORM:-.build/release/wsconform}
which=${1:-both}
shift || true
out=${OUT:-$(mktemp -d -t wsconform-report-bench.XXXXXX)}
mkdir -p "$out"
peer_pid=

stop_peer() { if [ -n "$peer_pid" ]; then kill "$peer_pid" 2>/dev/null || true; wait "$peer_pid" 2>/dev/null || true; peer_pid=; fi; }
trap stop_peer EXIT

# Starts a peer command that prints its URL on the first line of stdout; sets $url.
start_peer() {
  local fifo=$out/peer.fifo
  rm -f "$fifo"; mkfifo "$fifo"
  "$@" >"$fifo" 2>"$out/peer.log" &
  peer_pid=$!
  read -r -t 20 url <"$fifo"
  rm -f "$fifo"
}

missed=0

# Wall and CPU time of `chromium --headless --dump-dom` for an empty page and a report, interleaved:
# median [min-max] of each; exit status 1 when a median exceeds the empty page's by 1 s or more.
# Chromium's processes are reaped here (a child subreaper), so their CPU time is all counted.
load_time() {
  python3 - "$1" "$2" "${RUNS:-5}" "${CHROMIUM_FLAGS:-}" <<'EOF'
import ctypes, os, resource, statistics, subprocess, sys, tempfile, time
name, report, runs, flags = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split()
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
profile = tempfile.mkdtemp(prefix="report-bench-chromium.")
empty = os.path.join(profile, "empty.html")
open(empty, "w").write("<!DOCTYPE html><html><body></body></html>\n")
def once(path):
    r0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
    out = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile, *flags,
                          "--dump-dom", "file://" + os.path.abspath(path)], capture_output=True, timeout=120).stdout
    wall = time.monotonic() - t0
    deadline = time.monotonic() + 10  # reap what Chromium left (zygotes, renderers, crash handler)
    while time.monotonic() < deadline:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0: time.sleep(0.02)
        except ChildProcessError:
            break
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if b"</html>" not in out: sys.exit(f"{name}: Chromium printed no page for {path}")
    return wall, r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
times = {"empty": [], "report": []}
for _ in range(runs):
    times["empty"].append(once(empty))
    times["report"].append(once(report))
ok = True
for i, what in ((0, "wall"), (1, "CPU")):
    e, r = ([t[i] for t in times[k]] for k in ("empty", "report"))
    m = lambda v: f"{statistics.median(v):.2f} s [{min(v):.2f}-{max(v):.2f}]"
    more = statistics.median(r) - statistics.median(e)
    ok &= more < 1.0
    print(f"{name}: Chromium --dump-dom {what}, median [min-max] of {runs}: report {m(r)}, empty page {m(e)}: "
          f"+{more:.2f} s, {'within' if more < 1.0 else 'MISSES'} the 1 s target")
sys.exit(0 if ok else 1)
EOF
}

# The page's script shows a case's detail at its permalink: Chromium's DOM after the page settled
# holds the case's block, open (a failed case's when there is one).
permalink() {
  local name=$1 dir=$2 id
  id=$(python3 -c 'import json,sys; cs=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]; print(next((c["id"] for c in cs if not c["acceptable"]), cs[0]["id"]))' "$dir/results.jsonl")
  local dom
  # Captured, not piped into grep -q: with pipefail a Chromium killed by SIGPIPE would read as a miss.
  dom=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --virtual-time-budget=5000 --dump-dom "file://$dir/report.html#case-$id" 2>/dev/null || true)
  if grep -q "<details class=\"case\" id=\"case-$id\" data-case=\"$id\"[^>]* open=\"\"" <<< "$dom"; then
    echo "$name: case $id's detail opens at report.html#case-$id"
  else
    echo "$name: case $id's detail did NOT open at report.html#case-$id"; missed=1
  fi
}

# REUSE=1: render OUT/<name>/report.html again from that directory's results and measure it,
# without a run (to compare a report change on the same results).
rerender() {
  local name=$1 dir=$out/$1
  "$wsconform" report "$dir" --quiet --format html
  echo "$name: report.html $(python3 -c 'import os,sys; print(f"{os.path.getsize(sys.argv[1])/1e6:.2f}")' "$dir/report.html") MB, rendered again from $dir"
  load_time "$name" "$dir/report.html" || missed=1
  permalink "$name" "$dir"
}

run() {
  local name=$1; shift
  local dir=$out/$name
  if [ -n "${REUSE:-}" ]; then rerender "$name"; return; fi
  rm -rf "$dir"
  local t0 t1 status=0
  t0=$(date +%s.%N)
  "$wsconform" test-server "$url" --out "$dir" --quiet --max-message-size 16777216 "$@" >"$out/$name.txt" 2>&1 || status=$?
  t1=$(date +%s.%N)
  python3 - "$dir" "$t0" "$t1" "$status" "$name" <<'EOF'
import datetime, json, os, sys
d, t0, t1, status, name = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
cases = [json.loads(l) for l in open(os.path.join(d, "results.jsonl")) if l.strip()]
ts = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
first = min(ts(c["started"]) for c in cases)
last = max(ts(c["started"]) + c["wallTimeMs"] / 1000 for c in cases)
failed = sum(1 for c in cases if not c["acceptable"])
size = lambda f: os.path.getsize(os.path.join(d, f))
print(f"{name}: {len(cases)} cases, {failed} not acceptable, exit {status}; results.json {size('results.json')/1e6:.2f} MB, "
      f"report.html {size('report.html')/1e6:.2f} MB; start to first case {(first - t0)*1000:.0f} ms, "
      f"last case to exit {(t1 - last)*1000:.0f} ms, wall {t1 - t0:.1f} s")
EOF
  if ! command -v chromium >/dev/null; then echo "$name: no chromium: load time not measured"; missed=1; return; fi
  load_time "$name" "$dir/report.html" || missed=1
  permalink "$name" "$dir"
}

if [ "$which" = echo ] || [ "$which" = both ]; then
  [ -n "${REUSE:-}" ] || start_peer "$wsconform" echo-server --port 0 --deflate --max-message-size 16777216
  run echo "$@"
  stop_peer
fi
if [ "$which" = faulty ] || [ "$which" = both ]; then
  [ -n "${REUSE:-}" ] || start_peer python3 scripts/peers/faulty_echo_server.py 0
  run faulty "$@"
  stop_peer
fi
echo "results in $out"
exit "$missed"
