#!/usr/bin/env bash
# Round-trip cost of the harness and of the bundled echo server, each as a ratio to the loopback
# floor measured in the same run.
#
# Usage: scripts/bench-roundtrip.sh [--autobahn] [ROUNDS]
#   ROUNDS      measurements of each kind, interleaved (default 5); medians are printed
#   --autobahn  also run Autobahn|Testsuite's 9.7.x and 9.8.x against the same echo server, then
#               wsconform's, and print the per-case ratio (installs Autobahn on first use)
#
# What is measured (1000 sequential round trips of a 10-octet text message each):
#   floor       Benchmarks/roundtrip/floor_client.c against floor_server.c: C, blocking I/O, no parsing
#   echo-floor  the same C client against `wsconform echo-server`: the bundled server's own cost
#   wsconform   case 9.7.1 (1000 round trips of "Hello, world!"... as Autobahn's 9.7.1 does) against
#               `wsconform echo-server`, --jobs 1; the case's duration / 1000
# Ratios: wsconform / echo-floor (the harness against the minimal client on the same server) and
# echo-floor / floor (the bundled server against the minimal server). Timings on a busy machine
# vary; the ratios are taken from runs interleaved with each other.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
autobahn=false
rounds=5
for arg in "$@"; do
  case $arg in
    --autobahn) autobahn=true ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) rounds=$arg ;;
  esac
done
work=${BENCH_WORK:-$PWD/.build-bench}
mkdir -p "$work"
if [ -z "${WSCONFORM:-}" ]; then
  swift build -c release --product wsconform >/dev/null
  WSCONFORM=$(swift build -c release --show-bin-path)/wsconform
fi
cc -O2 -o "$work/floor_client" Benchmarks/roundtrip/floor_client.c
cc -O2 -o "$work/floor_server" Benchmarks/roundtrip/floor_server.c

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "bench-roundtrip: nothing listens on $1" >&2; exit 3
}
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

floor_port=$(free_port)
"$work/floor_server" "$floor_port" & pids+=($!)
echo_port=$(free_port)
"$WSCONFORM" echo-server --port "$echo_port" --quiet & pids+=($!)
wait_port "$floor_port"
wait_port "$echo_port"

case_us() {  # $1 = results dir: 9.7.1's duration in µs per round trip
  python3 - "$1/results.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
cases = doc["cases"] if isinstance(doc, dict) else doc
for c in cases:
    if c.get("id") == "9.7.1":
        print(c["durationMs"] * 1000 / 1000)
        break
else:
    sys.exit("bench-roundtrip: 9.7.1 has no duration in " + sys.argv[1])
PY
}

floor=() echo_floor=() harness=()
for i in $(seq "$rounds"); do
  floor+=("$("$work/floor_client" "$floor_port" 1000 10)")
  echo_floor+=("$("$work/floor_client" "$echo_port" 1000 10)")
  rm -rf "$work/run"
  "$WSCONFORM" test-server "ws://127.0.0.1:$echo_port" --cases 9.7.1 --jobs 1 --out "$work/run" --quiet >/dev/null
  harness+=("$(case_us "$work/run")")
done

python3 - "${floor[*]}" "${echo_floor[*]}" "${harness[*]}" <<'PY'
import statistics, sys
floor, echo_floor, harness = ([float(x) for x in a.split()] for a in sys.argv[1:4])
m = statistics.median
print(f"round trips of a 10-octet text message, median of {len(floor)} runs (µs per round trip):")
print(f"  floor       C client  -> C echo server        {m(floor):8.1f}   (runs: {', '.join(f'{x:.0f}' for x in floor)})")
print(f"  echo-floor  C client  -> wsconform echo-server {m(echo_floor):8.1f}   (runs: {', '.join(f'{x:.0f}' for x in echo_floor)})")
print(f"  wsconform   case 9.7.1 -> wsconform echo-server {m(harness):7.1f}   (runs: {', '.join(f'{x:.0f}' for x in harness)})")
print(f"ratios: wsconform / echo-floor = {m(harness) / m(echo_floor):.2f}  (target <= 1.5)")
print(f"        echo-server / C server = {m(echo_floor) / m(floor):.2f}  (target <= 1.5)")
PY

if $autobahn; then
  wstest=$(bash ../shared/autobahn/install.sh 2>/dev/null || bash "${AUTOBAHN_INSTALL:-/work/shared/autobahn/install.sh}")
  rm -rf "$work/autobahn" "$work/ab-run"
  mkdir -p "$work/autobahn"
  cat >"$work/autobahn/fuzzingclient.json" <<JSON
{"outdir": "$work/autobahn/reports", "servers": [{"agent": "echo", "url": "ws://127.0.0.1:$echo_port"}],
 "cases": ["9.7.*", "9.8.*"], "exclude-cases": [], "exclude-agent-cases": {}}
JSON
  (cd "$work/autobahn" && "$wstest" -m fuzzingclient -s fuzzingclient.json >log.txt 2>&1)
  "$WSCONFORM" test-server "ws://127.0.0.1:$echo_port" --cases '9.7.*,9.8.*' --jobs 1 --agent echo \
    --out "$work/ab-run" --quiet >/dev/null
  python3 - "$work/autobahn/reports/index.json" "$work/ab-run/index.json" <<'PY'
import json, sys
ab = json.load(open(sys.argv[1]))["echo"]
ws = json.load(open(sys.argv[2]))["echo"]
def key(c): return [int(x) for x in c.split(".")]
print("case      Autobahn ms  wsconform ms  ratio   verdicts")
worst = None
for c in sorted(ab, key=key):
    a, w = ab[c], ws.get(c)
    if w is None:
        print(f"{c:9} {a['duration']:11}  (not run)")
        continue
    r = a["duration"] / max(w["duration"], 1)
    worst = r if worst is None else min(worst, r)
    print(f"{c:9} {a['duration']:11}  {w['duration']:12}  {r:5.1f}x  {a['behavior']}/{w['behavior']}")
print(f"slowest case ratio (Autobahn / wsconform): {worst:.1f}x  (target >= 3)")
PY
fi
