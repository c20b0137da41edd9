#!/usr/bin/env bash
# Runs the real Autobahn|Testsuite against wsconform's bundled peers, in both roles:
#   server role: `wstest -m fuzzingclient` against `wsconform echo-server --deflate`
#   client role: `wstest -m fuzzingserver` with `wsconform echo-client` as the client under test
# and saves both index.json files under reports/baselines/autobahn/{echo-server,echo-client}/.
# Usage: scripts/autobahn-peers.sh [CASES_JSON_LIST]   e.g. '["1.*","2.*"]' (default: all 517)
# The full run takes ~15-30 minutes (Autobahn's compression sections are slow); not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
cases=${1:-'["*"]'}
wstest=$(bash ../shared/autobahn/install.sh 2>/dev/null || true)
if [ ! -x "$wstest" ]; then
  # Outside the development machine's layout: install into the default location.
  wstest=$(bash "${AUTOBAHN_INSTALL:-../shared/autobahn/install.sh}")
fi
swift build -c release --product wsconform >/dev/null
bin=$(swift build -c release --show-bin-path)/wsconform
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- server role ---
port=$(free_port)
"$bin" echo-server --port "$port" --deflate --quiet >/dev/null &
pids+=($!)
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
cat > "$work/fuzzingclient.json" <<JSON
{"outdir": "$work/servers", "servers": [{"agent": "wsconform-echo-server", "url": "ws://127.0.0.1:$port"}],
 "cases": $cases, "exclude-cases": [], "exclude-agent-cases": {}}
JSON
start=$(date +%s.%N)
(cd "$work" && "$wstest" -m fuzzingclient -s fuzzingclient.json >"$work/fuzzingclient.log" 2>&1)
server_wall=$(python3 -c "import time; print(round(time.time()-$start, 1))")
mkdir -p reports/baselines/autobahn/echo-server
cp "$work/servers/index.json" reports/baselines/autobahn/echo-server/index.json

# --- client role ---
port=$(free_port)
cat > "$work/fuzzingserver.json" <<JSON
{"url": "ws://127.0.0.1:$port", "outdir": "$work/clients", "cases": $cases, "exclude-cases": [], "exclude-agent-cases": {}}
JSON
(cd "$work" && exec "$wstest" -m fuzzingserver -s fuzzingserver.json -u 0 >"$work/fuzzingserver.log" 2>&1) &
pids+=($!)
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
start=$(date +%s.%N)
"$bin" echo-client "ws://127.0.0.1:$port" --agent wsconform-echo-client --quiet
client_wall=$(python3 -c "import time; print(round(time.time()-$start, 1))")
mkdir -p reports/baselines/autobahn/echo-client
cp "$work/clients/index.json" reports/baselines/autobahn/echo-client/index.json

status=0
echo "== Autobahn fuzzingclient vs wsconform echo-server (${server_wall} s)"
python3 scripts/lib/autobahn-summary.py reports/baselines/autobahn/echo-server/index.json || status=1
echo "== Autobahn fuzzingserver vs wsconform echo-client (${client_wall} s)"
python3 scripts/lib/autobahn-summary.py reports/baselines/autobahn/echo-client/index.json || status=1
exit $status
