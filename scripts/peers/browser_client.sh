#!/usr/bin/env bash
# A headless browser as a client that speaks Autobahn's fuzzingserver protocol ({base}), so that
# scripts/autobahn-diff-client.sh can run the same browser against Autobahn's fuzzingserver and
# wsconform's: serves wsconform's /browser page from a throwaway test-client, opens it with
# ?ws=BASE (the page then walks BASE's cases), waits for the last case's status (a long poll in
# both tools), gives the page a moment for /updateReports, then ends the browser.
# Usage: scripts/peers/browser_client.sh chromium|firefox BASE AGENT
#   e.g. scripts/autobahn-diff-client.sh 'scripts/peers/browser_client.sh firefox {base} {agent}' '1.*,2.*'
set -euo pipefail
browser=$1 base=$2 agent=$3
root=$(cd "$(dirname "$0")/../.." && pwd)
wsconform=${WSCONFORM:-$root/.build/release/wsconform}
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SWIFT_BACKTRACE=enable=no "$wsconform" test-client --listen "127.0.0.1:$port" --cases 1.1.1 --out "$tmp/page-host" \
  --no-html --no-junit --quiet >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
count=$(python3 "$root/scripts/lib/ws-request.py" "$base/getCaseCount" 30 | tr -d '[:space:]')
encoded=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$base")
page="http://127.0.0.1:$port/browser?ws=$encoded&agent=$agent"
mkdir -p "$tmp/profile"
case $browser in
  chromium)
    setsid chromium --headless --disable-gpu --no-first-run --no-sandbox --disable-dev-shm-usage \
      --user-data-dir="$tmp/profile" "$page" >"$tmp/browser.log" 2>&1 &
    ;;
  firefox)
    printf '%s\n' 'user_pref("network.websocket.delay-failed-reconnects", false);' \
      'user_pref("browser.shell.checkDefaultBrowser", false);' >"$tmp/profile/user.js"
    setsid firefox-esr --headless --no-remote --profile "$tmp/profile" "$page" >"$tmp/browser.log" 2>&1 &
    ;;
  *) echo "browser_client.sh: chromium or firefox, not $browser" >&2; exit 2 ;;
esac
pids+=($!)
python3 "$root/scripts/lib/ws-request.py" "$base/getCaseStatus?case=$count&agent=$agent" 3600 >/dev/null
sleep 3
