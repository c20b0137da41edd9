#!/usr/bin/env bash
# Runs the real Autobahn|Testsuite fuzzingclient and `wsconform test-server` against the same kind
# of server and prints every case where the two disagree on behavior or behaviorClose, with both
# wall times and per-section agreement. (scripts/autobahn-diff-client.sh does the same for clients.)
#
# Usage: scripts/autobahn-diff.sh '<server command with {port}>' [CASES]
#   CASES  comma-separated patterns that mean the same in both tools: full ids, "*", or "N.*" /
#          "N.M.*" (default: all 517). Autobahn reads them with its prefix rules, wsconform with its
#          segment rules; those agree for these forms.
# Each tool gets a fresh server process on a free port, one after the other (never at the same
# time, so the wall times are comparable). Outputs are kept in $OUT (default: a new temp dir).
# Examples:
#   scripts/autobahn-diff.sh '.build/release/wsconform echo-server --port {port} --deflate --quiet'
#   scripts/autobahn-diff.sh 'python3 scripts/peers/websockets_echo_server.py {port}' '1.*,2.*'
# WSCONFORM_ARGS adds arguments to test-server (e.g. WSCONFORM_ARGS="--jobs 1").
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
[ $# -ge 1 ] || { sed -n '2,16p' "$0" >&2; exit 2; }
server_cmd=$1
cases=${2:-*}
out=${OUT:-$(mktemp -d -t wsconform-diff.XXXXXX)}
mkdir -p "$out"

source scripts/lib/autobahn-common.sh

server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap stop_server EXIT
start_server() {  # $1 = log file; sets $port and $server_pid
  port=$(free_port)
  bash -c "exec ${server_cmd//\{port\}/$port}" >"$1" 2>&1 &
  server_pid=$!
  wait_port "$port" && return 0
  echo "autobahn-diff: the server did not start listening on $port (see $1)" >&2
  exit 3
}

json_cases=$(json_list "$cases")

# --- Autobahn ---
start_server "$out/server-autobahn.log"
cat >"$out/fuzzingclient.json" <<JSON
{"outdir": "$out/autobahn", "servers": [{"agent": "peer", "url": "ws://127.0.0.1:$port"}],
 "cases": $json_cases, "exclude-cases": [], "exclude-agent-cases": {}}
JSON
t0=$(now)
(cd "$out" && "$wstest" -m fuzzingclient -s fuzzingclient.json >"$out/autobahn.log" 2>&1) || true
t1=$(now)
stop_server

# --- wsconform ---
start_server "$out/server-wsconform.log"
t2=$(now)
status=0
"$WSCONFORM" test-server "ws://127.0.0.1:$port" --cases "$cases" --agent peer --out "$out/wsconform" --force --quiet ${WSCONFORM_ARGS:-} \
  >"$out/wsconform.txt" 2>"$out/wsconform.log" || status=$?
t3=$(now)
stop_server
if [ "$status" -ge 2 ]; then
  echo "autobahn-diff: wsconform exited with $status (see $out/wsconform.log)" >&2
  exit "$status"
fi

python3 scripts/lib/autobahn-diff.py "$out/autobahn/index.json" "$out/wsconform/index.json" \
  --wall "$(python3 -c "print($t1-$t0)")" "$(python3 -c "print($t3-$t2)")" \
  --results "$out/wsconform/results.json" --autobahn-dir "$out/autobahn"
echo "outputs: $out"
