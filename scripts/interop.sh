#!/usr/bin/env bash
# Interoperability check: runs the full catalog against real WebSocket implementations and the
# bundled peers, and compares every verdict with the committed baselines.
#
# Usage: scripts/interop.sh [--full] [--update] [--add-cases PATTERNS] [PEER...]
#   PEER      names from the table below (default: all)
#   --add-cases  run only these cases (e.g. '27.*', a new section) against every peer and merge
#             their verdicts into its baseline, replacing those cases and keeping all others; peers
#             whose own arguments choose their cases are skipped. Review the diff, then commit.
#   --full    the whole catalog for every peer (the long lane, about an hour here). Without it (the
#             CI lane) sections 12 and 13 keep their messages of up to 8 KiB, whole and in frames of
#             256 compressed octets (12.x.1-6 and 12.x.11: every compression parameter set, every
#             payload kind) and leave out the 132 cases of 16-128 KiB messages, which take 90% of
#             a full run since round-trip cases run alone, and section 27's cases that are slow by
#             nature (2^63-1-octet trickles 27.1.1-5, 4 s each against a server that waits and again
#             alone to confirm, floods 27.3, 100 002-fragment messages 27.2.2-3, a 2 MiB head 27.5.4,
#             slowloris 27.5.7-8 that wait 30 s, 100 held connections 27.8); baselines still hold
#             every case
#   --update  write the new verdicts as the baselines instead of comparing (commit them with the
#             reason in the message: a baseline moves only deliberately; needs --full, so that a
#             baseline never loses the cases the CI lane leaves out)
#
# Baselines: reports/baselines/<peer>/index.json (Autobahn-shaped verdicts per case). Any change of
# verdict (regression, fix, new or removed case) fails with the diff printed, except in the cases
# listed in reports/baselines/<peer>/unstable.txt (verdicts that depend on timing inside the peer,
# each with its reason), which are only reported. The bundled peers must
# in addition be free of failures. Installs what it needs: Python `websockets` and Hypercorn into a
# virtualenv (.build-interop/venv), Node's `ws`, Chromium, Firefox ESR and nghttpx from Debian
# (nodejs, node-ws, chromium, firefox-esr, nghttp2-proxy). Exit: 0 all as expected,
# 1 a verdict changed or a bundled peer failed, 3 a peer could not be started.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
root=$PWD
work=${INTEROP_WORK:-$root/.build-interop}
out=${INTEROP_OUT:-$work/results}
mkdir -p "$work"

update=false
full=false
add_cases=""
wanted=()
while [ $# -gt 0 ]; do
  case $1 in
    --update) update=true ;;
    --full) full=true ;;
    --add-cases) add_cases=${2:?--add-cases needs patterns}; shift ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) wanted+=("$1") ;;
  esac
  shift
done
# Adding cases to the baselines: every peer, only those cases, no CI-lane exclusions.
if [ -n "$add_cases" ]; then full=true; fi

# name | role | command ({port} or {url} is replaced) | must pass (bundled peers) | extra wsconform arguments
# Servers are started once and tested with test-server; browsers are started by test-browser. The bundled client is started by test-client
# once per case (--client-cmd with {url}); the other clients are started once and walk the cases
# themselves over Autobahn's fuzzingserver protocol ({base}), as Autobahn's users run them: a Python
# or Node process start per case costs more than most cases.
echo_server="$root/.build/release/wsconform echo-server --port {port} --deflate --quiet"
peers=(
  "echo-server|server|$echo_server|yes|"
  # The same verdicts one case at a time (sections 1-10: the others do not depend on timing).
  "echo-server-sequential|server|$echo_server|yes|--jobs 1 --cases 1.*,2.*,3.*,4.*,5.*,6.*,7.*,9.*,10.*"
  "websockets-server|server|$work/venv/bin/python $root/scripts/peers/websockets_echo_server.py {port}|no|"
  "websockets-server-plain|server|$work/venv/bin/python $root/scripts/peers/websockets_echo_server.py {port} plain|no|"
  "ws-server|server|node $root/scripts/peers/ws_echo_server.js {port}|no|"
  "ws-server-plain|server|node $root/scripts/peers/ws_echo_server.js {port} plain|no|"
  "echo-client|client|$root/.build/release/wsconform echo-client {url} --quiet|yes|"
  "websockets-client|client|$work/venv/bin/python $root/scripts/peers/websockets_client.py {base} websockets-client|no|"
  "ws-client|client|node $root/scripts/peers/ws_client.js {base} ws-client|no|"
  # Browsers (Debian's chromium and firefox-esr), run headless by test-browser on its own page.
  "chromium|browser|chromium|no|"
  "firefox|browser|firefox|no|"
)

# Long lane only (--full): WebSockets over HTTP/2 (RFC 8441), Hypercorn (PyPI) on h2c and nghttpx
# (Debian nghttp2-proxy) in front of the bundled echo server, Hypercorn over HTTP/1.1 beside them to
# compare the two protocols, and Chromium as an HTTP/2 client (test-browser --http2: the whole
# client catalog, section 28.9 included, every WebSocket a stream of its one TLS connection). The
# CI lane covers HTTP/2 with the test suite's Hypercorn and faulty-peer tests; these add far more
# minutes than the CI lane can afford.
full_peers=(
  "hypercorn-h2|server|env PYTHONPATH=$root/scripts/peers $work/venv/bin/hypercorn --bind 127.0.0.1:{port} hypercorn_echo:app|no|--http2"
  "hypercorn|server|env PYTHONPATH=$root/scripts/peers $work/venv/bin/hypercorn --bind 127.0.0.1:{port} hypercorn_echo:app|no|"
  "nghttpx-h2|server|$root/scripts/peers/nghttpx_echo.sh {port}|no|--http2"
  "chromium-h2|browser|chromium|no|--http2"
)

install_peers() {
  if ! command -v node >/dev/null || [ ! -d /usr/share/nodejs/ws ]; then
    echo "interop: installing nodejs node-ws"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs node-ws) >/dev/null
  fi
  # h2 (hyper-h2, also Hypercorn's) runs scripts/peers/faulty_h2_server.py for the section 28 tests.
  if [ ! -x "$work/venv/bin/python" ] || ! "$work/venv/bin/python" -c 'import websockets, hypercorn, h2' 2>/dev/null; then
    echo "interop: installing Python websockets, hypercorn and h2 into $work/venv"
    if ! python3 -m venv "$work/venv" 2>/dev/null; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv) >/dev/null
      python3 -m venv "$work/venv"
    fi
    "$work/venv/bin/pip" install -q websockets hypercorn h2
  fi
  if $full && selected nghttpx-h2 && ! command -v nghttpx >/dev/null; then
    echo "interop: installing nghttp2-proxy"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-proxy) >/dev/null
  fi
  if { selected chromium && ! command -v chromium >/dev/null; } || { selected firefox && ! command -v firefox-esr >/dev/null; }; then
    echo "interop: installing chromium firefox-esr"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium firefox-esr) >/dev/null
  fi
  echo "interop: $(chromium --version 2>/dev/null | cut -d' ' -f1-2), $(firefox-esr --version 2>/dev/null)"
  echo "interop: node $(node --version), node-ws $(node -p "require('/usr/share/nodejs/ws/package.json').version"), websockets $("$work/venv/bin/python" -c 'import websockets; print(websockets.__version__)')"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

peer_pid=""
stop_peer() {
  if [ -n "$peer_pid" ]; then
    kill "$peer_pid" 2>/dev/null || true
    wait "$peer_pid" 2>/dev/null || true
    peer_pid=""
  fi
}
trap stop_peer EXIT

start_server() {  # $1 command with {port}, $2 log; sets port, peer_pid
  port=$(free_port)
  bash -c "exec ${1//\{port\}/$port}" >"$2" 2>&1 &
  peer_pid=$!
  for _ in $(seq 150); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0; sleep 0.1; done
  echo "interop: the peer did not start listening on $port (log: $2)" >&2
  cat "$2" >&2
  return 3
}

selected() {
  [ ${#wanted[@]} -eq 0 ] && return 0
  local w
  for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done
  return 1
}

if $update && [ -n "$add_cases" ]; then
  echo "interop: --add-cases merges into the baselines itself; leave out --update" >&2
  exit 2
fi
if $update && ! $full; then
  echo "interop: --update needs --full (a baseline holds every case, the CI lane runs a subset)" >&2
  exit 2
fi
# The CI lane's exclusions, and the ids they leave out (their absence is not a change).
lane_exclude='12-13.*.7-10,12-13.*.12-18,27.1.1-5,27.2.2-3,27.3.*,27.5.4,27.5.7-8,27.8.*'
$full && lane_exclude=''
$full && peers+=("${full_peers[@]}")

# The same build as scripts/release.sh (static Swift runtime): interop tests the binary that ships,
# and a CI run that does both builds release once.
echo "interop: building wsconform (release, static Swift runtime)"
swift build -c release --product wsconform --static-swift-stdlib >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 3; }
wsconform=$root/.build/release/wsconform
install_peers
left_out=$work/left-out.txt
: >"$left_out"
if [ -n "$lane_exclude" ]; then
  "$wsconform" cases list ${lane_exclude//,/ } | awk '/^  [0-9]/ {print $1}' >"$left_out"
  echo "interop: CI lane, $(wc -l <"$left_out") long compression and robustness cases left out (scripts/interop.sh --full runs them)"
fi

status=0
summary=()
stage_start=$(date +%s)
for entry in "${peers[@]}"; do
  IFS='|' read -r name role command must_pass extra <<<"$entry"
  read -r -a extra_args <<<"$extra"
  if [ -n "$lane_exclude" ]; then extra_args+=(--exclude "$lane_exclude"); fi
  selected "$name" || continue
  if [ -n "$add_cases" ]; then
    case " ${extra_args[*]-} " in *" --cases "*) echo "interop: $name: chooses its own cases, skipped"; continue ;; esac
    if [ ! -f "reports/baselines/$name/index.json" ]; then
      echo "interop: $name: no baseline to add cases to (make one with --full --update $name), skipped"; continue
    fi
    extra_args+=(--cases "$add_cases")
  fi
  dir=$out/$name
  rm -rf "$dir"
  mkdir -p "$dir"
  t0=$(date +%s)
  run_status=0
  case $role in
    server)
      start_server "$command" "$dir/peer.log" || { status=3; summary+=("$name: did not start"); continue; }
      "$wsconform" test-server "ws://127.0.0.1:$port" --agent "$name" --out "$dir" --quiet \
        ${extra_args[@]+"${extra_args[@]}"} >"$dir/run.txt" 2>&1 || run_status=$?
      stop_peer
      ;;
    browser)
      "$wsconform" test-browser --browser "$command" --agent "$name" --out "$dir" --quiet \
        ${extra_args[@]+"${extra_args[@]}"} >"$dir/run.txt" 2>&1 || run_status=$?
      ;;
    client)
      "$wsconform" test-client --listen 127.0.0.1:0 --client-cmd "$command" --jobs 4 --agent "$name" \
        --out "$dir" --quiet ${extra_args[@]+"${extra_args[@]}"} >"$dir/run.txt" 2>&1 || run_status=$?
      ;;
  esac
  seconds=$(( $(date +%s) - t0 ))
  if [ "$run_status" -ge 2 ]; then
    echo "interop: $name: the run itself failed (exit $run_status)" >&2
    tail -20 "$dir/run.txt" >&2
    status=1; summary+=("$name: run failed (exit $run_status), ${seconds} s"); continue
  fi
  counts=$(python3 "$root/scripts/lib/autobahn-summary.py" --counts "$dir/index.json")
  baseline=reports/baselines/$name/index.json
  if [ -n "$add_cases" ]; then
    python3 "$root/scripts/lib/merge-baseline.py" "$baseline" "$dir/index.json" "$name"
    summary+=("$name: $add_cases merged into the baseline ($counts), ${seconds} s")
  elif $update; then
    mkdir -p "$(dirname "$baseline")"
    cp "$dir/index.json" "$baseline"
    summary+=("$name: baseline written ($counts), ${seconds} s")
  elif [ ! -f "$baseline" ]; then
    echo "interop: $name: no baseline at $baseline (run scripts/interop.sh --full --update $name and commit it)" >&2
    status=1; summary+=("$name: NO BASELINE ($counts), ${seconds} s")
  elif { "$wsconform" diff "$baseline" "$dir/index.json" --format json 2>"$dir/diff.err" || true; } \
       | python3 "$root/scripts/lib/interop-gate.py" "reports/baselines/$name/unstable.txt" "$left_out" >"$dir/diff.txt"; then
    cat "$dir/diff.txt"
    summary+=("$name: same verdicts as the baseline ($counts), ${seconds} s")
  else
    echo "interop: $name: verdicts differ from $baseline:" >&2
    cat "$dir/diff.txt" "$dir/diff.err" >&2
    status=1; summary+=("$name: VERDICTS CHANGED ($counts), ${seconds} s")
  fi
  if [ "$must_pass" = yes ] && [ "$run_status" -ne 0 ]; then
    echo "interop: $name: the bundled peer failed cases:" >&2
    tail -30 "$dir/run.txt" >&2
    status=1; summary+=("$name: BUNDLED PEER FAILED")
  fi
  echo "interop: ${summary[-1]}"
done

echo "interop: results in $out"
printf '  %s\n' "${summary[@]}"
echo "interop: stage wall time $(( $(date +%s) - stage_start )) s"
exit $status
