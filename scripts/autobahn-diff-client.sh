#!/usr/bin/env bash
# Runs the real Autobahn|Testsuite fuzzingserver and `wsconform test-client` against the same client
# command and prints every case where the two disagree on behavior or behaviorClose, with both wall
# times and per-section agreement (the server-role twin of scripts/autobahn-diff.sh).
#
# Usage: scripts/autobahn-diff-client.sh '<client command>' [CASES]
#   The command is either a client that speaks the fuzzingserver protocol, written with {base}
#   (ws://127.0.0.1:PORT) and {agent}, started once per tool; or a client that runs one case,
#   written with {url} (ws://127.0.0.1:PORT/runCase?casetuple=ID&agent=A), started once per case by
#   both tools (for Autobahn this script loops over the case ids, then asks /updateReports).
#   CASES  comma-separated patterns meaning the same in both tools: full ids, "*", "N.*", "N.M.*"
#          (default: all 517).
# The tools run one after the other. Outputs stay in $OUT (default: a new temp dir). JOBS (default 1)
# is passed to wsconform's --jobs for per-case commands.
# Examples:
#   scripts/autobahn-diff-client.sh '.build/release/wsconform echo-client {base} --agent {agent} --quiet'
#   scripts/autobahn-diff-client.sh '/tmp/pyws/bin/python scripts/peers/websockets_client.py {base} {agent}' '1.*,2.*'
#   scripts/autobahn-diff-client.sh 'node scripts/peers/ws_client.js {url}' '1.*'
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
[ $# -ge 1 ] || { sed -n '2,20p' "$0" >&2; exit 2; }
client_cmd=$1
cases=${2:-*}
out=${OUT:-$(mktemp -d -t wsconform-diff-client.XXXXXX)}
mkdir -p "$out"
agent=peer

source scripts/lib/autobahn-common.sh

per_case=0
case "$client_cmd" in *"{url}"*|*"{case}"*) per_case=1 ;; esac

fill() {  # fill BASE [CASE_ID]: the command with placeholders replaced (Autobahn side)
  local c=${client_cmd//\{base\}/$1}
  c=${c//\{agent\}/$agent}
  c=${c//\{port\}/${1##*:}}
  if [ $# -ge 2 ]; then
    c=${c//\{case\}/$2}
    local url="'$1/runCase?casetuple=$2&agent=$agent'"
    c=${c//\{url\}/"$url"}   # quoted: bash 5.2 would read a bare & as "the matched text"
  fi
  printf '%s' "$c"
}

wstest_pid=""
stop_wstest() {
  if [ -n "$wstest_pid" ]; then kill "$wstest_pid" 2>/dev/null || true; wait "$wstest_pid" 2>/dev/null || true; wstest_pid=""; fi
}
trap stop_wstest EXIT

# --- Autobahn ---
port=$(free_port)
cat >"$out/fuzzingserver.json" <<JSON
{"url": "ws://127.0.0.1:$port", "outdir": "$out/autobahn", "cases": $(json_list "$cases"),
 "exclude-cases": [], "exclude-agent-cases": {}}
JSON
(cd "$out" && exec "$wstest" -m fuzzingserver -s fuzzingserver.json -u 0 >"$out/autobahn.log" 2>&1) &
wstest_pid=$!
wait_port "$port" || { echo "autobahn-diff-client: wstest did not start (see $out/autobahn.log)" >&2; exit 3; }
base="ws://127.0.0.1:$port"
t0=$(now)
if [ "$per_case" = 1 ]; then
  # Autobahn numbers cases within the selection; run them by id, in id order, one at a time.
  IFS=, read -ra patterns <<<"$cases"   # no word splitting or globbing of "*"
  for id in $("$WSCONFORM" cases list "${patterns[@]}" | sed -n 's/^  \([0-9][0-9.]*\)  .*/\1/p'); do
    bash -c "$(fill "$base" "$id")" >>"$out/client-autobahn.log" 2>&1 || true
  done
  python3 scripts/lib/ws-request.py "$base/updateReports?agent=$agent" 600 >/dev/null
else
  bash -c "$(fill "$base")" >"$out/client-autobahn.log" 2>&1 || true
fi
t1=$(now)
stop_wstest

# --- wsconform ---
t2=$(now)
status=0
"$WSCONFORM" test-client --listen 127.0.0.1:0 --cases "$cases" --out "$out/wsconform" --quiet \
  --client-cmd "$client_cmd" --agent "$agent" --jobs "${JOBS:-1}" >"$out/wsconform.txt" 2>"$out/wsconform.log" || status=$?
t3=$(now)
if [ "$status" -ge 2 ]; then
  echo "autobahn-diff-client: wsconform exited with $status (see $out/wsconform.log)" >&2
  exit "$status"
fi

python3 scripts/lib/autobahn-diff.py "$out/autobahn/index.json" "$out/wsconform/index.json" \
  --wall "$(python3 -c "print($t1-$t0)")" "$(python3 -c "print($t3-$t2)")" \
  --results "$out/wsconform/agents/$agent/results.json" --autobahn-dir "$out/autobahn"
echo "outputs: $out"
