#!/usr/bin/env bash
# What a whole-catalog run costs besides its cases: the size of results.json and report.html, how
# long Chromium takes to load the report (--dump-dom, compared with an empty page), and the time
# from process start to the first case and from the last case to exit.
#
# Usage: scripts/report-bench.sh [echo|faulty|both] [extra test-server options...]
#   WSCONFORM=path/to/wsconform (default .build/release/wsconform), OUT=dir (default a temp dir).
# Peers: the bundled echo server with permessage-deflate (every case passes), and
# scripts/peers/faulty_echo_server.py (echoes every frame unchecked: many cases fail).
# Not in CI: a full catalog run takes a few minutes. Needs python3; Chromium (Debian `chromium`) for
# the load time.
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

chromium_ms() {
  local file=$1 best=
  command -v chromium >/dev/null || { echo "n/a"; return; }
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s%N)
    timeout 60 chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$file" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    local ms=$(( (t1 - t0) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}

run() {
  local name=$1; shift
  local dir=$out/$name
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
  local empty=$out/empty.html
  echo '<!DOCTYPE html><html><body></body></html>' >"$empty"
  echo "$name: Chromium --dump-dom best of 3: report $(chromium_ms "$dir/report.html") ms, empty page $(chromium_ms "$empty") ms"
}

if [ "$which" = echo ] || [ "$which" = both ]; then
  start_peer "$wsconform" echo-server --port 0 --deflate --max-message-size 16777216
  run echo "$@"
  stop_peer
fi
if [ "$which" = faulty ] || [ "$which" = both ]; then
  start_peer python3 scripts/peers/faulty_echo_server.py 0
  run faulty "$@"
  stop_peer
fi
echo "results in $out"
