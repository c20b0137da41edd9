#!/usr/bin/env bash
# The harness's memory under a flooding peer, as a difference to an idle run of the same cases.
#
# Usage: scripts/bench-memory.sh [SECONDS]
#   SECONDS  how long each flood lasts at most (default 15)
#
# Peers (scripts/peers): flood_server.py and flood_client.py, in three modes: 1 MiB messages as fast
# as the socket takes them ("big"), 1-octet messages ("tiny"), and one message that never ends,
# in 1-octet continuation frames ("fragments"). The server role runs three cases (three connections,
# one at a time) against each flooding server and against `wsconform echo-server` (the idle run);
# the client role runs the same cases under `test-client --client-cmd` with the flooding client
# and with `wsconform echo-client`. Peak resident memory comes from /usr/bin/time.
# Exits 1 when a flood costs more than 64 MiB over the idle run (the bound README states).
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
seconds=${1:-15}
limit_mib=64
work=${BENCH_WORK:-$PWD/.build-bench}/memory
rm -rf "$work"
mkdir -p "$work"
if [ -z "${WSCONFORM:-}" ]; then
  swift build -c release --product wsconform >/dev/null
  WSCONFORM=$(swift build -c release --show-bin-path)/wsconform
fi
cases='1.1.1,1.1.2,1.1.3'

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  echo "bench-memory: nothing listens on $1" >&2; exit 3
}
peak_kib() {  # $1 = name, then the command: prints its peak RSS in KiB (exit status ignored: floods fail cases)
  local name=$1; shift
  /usr/bin/time -f '%M' -o "$work/$name.rss" "$@" >"$work/$name.out" 2>"$work/$name.err" || true
  tail -1 "$work/$name.rss"
}
server_peak() {  # $1 = name, $2 = server command with {port}
  local port pid kib
  port=$(free_port)
  bash -c "exec ${2//\{port\}/$port}" >"$work/$1.server.log" 2>&1 &
  pid=$!
  wait_port "$port"
  kib=$(peak_kib "$1" "$WSCONFORM" test-server "ws://127.0.0.1:$port" --cases "$cases" --jobs 1 --out "$work/$1" --quiet)
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "$kib"
}
client_peak() {  # $1 = name, $2 = client command with {url}
  peak_kib "$1" "$WSCONFORM" test-client --client-cmd "$2" --cases "$cases" --jobs 1 --out "$work/$1" --quiet
}

status=0
report() {  # $1 = role, $2 = mode, $3 = idle KiB, $4 = flood KiB
  local over=$(( ($4 - $3) / 1024 ))
  local verdict=ok
  if [ "$over" -gt "$limit_mib" ]; then verdict="OVER ${limit_mib} MiB"; status=1; fi
  printf '%-7s %-10s idle %5d MiB   flood %5d MiB   +%4d MiB   %s\n' "$1" "$2" $(( $3 / 1024 )) $(( $4 / 1024 )) "$over" "$verdict"
}

idle=$(server_peak idle-server "$WSCONFORM echo-server --port {port} --quiet")
for mode in big tiny fragments; do
  report server "$mode" "$idle" "$(server_peak "server-$mode" "python3 scripts/peers/flood_server.py {port} $mode $seconds")"
done
idle=$(client_peak idle-client "$WSCONFORM echo-client {url} --quiet")
for mode in big tiny fragments; do
  report client "$mode" "$idle" "$(client_peak "client-$mode" "python3 scripts/peers/flood_client.py {url} $mode $seconds")"
done
exit $status
