#!/usr/bin/env bash
# The shell steps of the wsconform GitHub Action (action.yml at the repository root); runs the same
# anywhere else. Gets the wsconform binary, starts the server under test and waits for its port,
# runs test-server (or test-client), copies the reports into an artifacts folder and writes the job
# summary. With a baseline it fails only on regressions (known failures pass); without one, on any
# case that is not acceptable.
#
# Settings (environment; action.yml maps its inputs onto them):
#   ROLE            server (default) or client: the kind of peer under test
#   SERVER_CMD      role server: command that starts the server; {port} is replaced with PORT
#   SERVER_URL      role server: the URL to test (default ws://127.0.0.1:PORT/); alone, a server
#                   that is already running
#   PORT            the port the server listens on (default: a free one)
#   CLIENT_CMD      role client: the client under test, started once per case with {url} (or once,
#                   with {base}, for a client that speaks Autobahn's fuzzingserver protocol)
#   CASES, EXCLUDE  case patterns, e.g. '1.*,2.*' (default: every case for the role)
#   BASELINE        results.json / index.json of an accepted run: fail only on regressions
#   JOBS            cases at a time (default 8)
#   AGENT           the name results are filed under
#   ARGS            more wsconform arguments, split on spaces
#   WSCONFORM_BIN   a wsconform binary to use as is
#   RELEASE_URL     else: a release archive (wsconform-*.tar.gz) to download, checked against
#                   RELEASE_SHA256 or, without it, the .sha256 file published beside it
#                   else: build from this repository's source (needs Swift 6.1+ and zlib1g-dev)
#   OUT             where the results go (default wsconform-results)
#   ARTIFACTS       the folder to upload (default wsconform-artifacts): report.html, junit.xml,
#                   results.json (test-client: results-<agent>.json), index.json, the server's log
#   ARTIFACT_NAME   the artifact's name, for the job summary (default: the folder's name)
#   START_TIMEOUT   seconds to wait for the server's port (default 60)
# Exit: wsconform's (0 as expected, 1 failures or regressions, 2 usage, 3 unreachable), or 3 when
# the binary cannot be had or the server does not start.
set -euo pipefail
export SWIFT_BACKTRACE=enable=no
source_root=$(cd "$(dirname "$0")/../.." && pwd)
role=${ROLE:-server}
out=${OUT:-wsconform-results}
artifacts=${ARTIFACTS:-wsconform-artifacts}
jobs=${JOBS:-8}
tmp=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
say() { echo "wsconform-action: $*"; }
die() { echo "wsconform-action: $*" >&2; [ -n "${GITHUB_ACTIONS:-}" ] && echo "::error title=wsconform::$*"; exit 3; }

get_binary() {
  if [ -n "${WSCONFORM_BIN:-}" ]; then
    [ -x "$WSCONFORM_BIN" ] || die "WSCONFORM_BIN=$WSCONFORM_BIN is not an executable"
    bin=$WSCONFORM_BIN
  elif [ -n "${RELEASE_URL:-}" ]; then
    say "downloading $RELEASE_URL"
    curl -fsSL --retry 3 -o "$tmp/wsconform.tar.gz" "$RELEASE_URL" || die "cannot download $RELEASE_URL"
    local expected=${RELEASE_SHA256:-}
    if [ -z "$expected" ]; then
      expected=$(curl -fsSL --retry 3 "$RELEASE_URL.sha256" | awk '{print $1}') \
        || die "cannot download $RELEASE_URL.sha256 (or give the release-sha256 input)"
    fi
    local actual
    actual=$(sha256sum "$tmp/wsconform.tar.gz" | awk '{print $1}')
    [ "$actual" = "$expected" ] || die "the download's SHA-256 is $actual, expected $expected"
    tar -xzf "$tmp/wsconform.tar.gz" -C "$tmp"
    bin=$(find "$tmp" -mindepth 2 -maxdepth 2 -type f -name wsconform | head -1)
    [ -n "$bin" ] || die "no wsconform binary in $RELEASE_URL"
  else
    say "building wsconform from source in $source_root (the first build takes a while)"
    command -v swift >/dev/null || die "no release-url given and no Swift toolchain to build from source"
    local build=(swift build --package-path "$source_root" -c release --product wsconform --static-swift-stdlib)
    "${build[@]}" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; die "the build failed"; }
    bin=$("${build[@]}" --show-bin-path)/wsconform
  fi
  say "$("$bin" --version | tr '\n' ' ')"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_server() {
  port=${PORT:-}
  if [ -n "${SERVER_CMD:-}" ]; then
    [ -n "$port" ] || port=$(free_port)
    local command=${SERVER_CMD//\{port\}/$port}
    say "starting the server: $command"
    bash -c "exec $command" >"$artifacts/server.log" 2>&1 &
    server_pid=$!
  fi
  url=${SERVER_URL:-}
  url=${url//\{port\}/$port}
  if [ -z "$url" ]; then
    [ -n "$port" ] || die "give SERVER_CMD (server-command) or SERVER_URL (server-url)"
    url=ws://127.0.0.1:$port/
  fi
  # Wait for the port of the URL (host:port after the scheme).
  local hostport=${url#*://}; hostport=${hostport%%/*}
  local host=${hostport%:*} wait_port=${hostport##*:}
  [ "$wait_port" != "$hostport" ] || wait_port=$([ "${url%%://*}" = wss ] && echo 443 || echo 80)
  local deadline=$(( $(date +%s) + ${START_TIMEOUT:-60} ))
  until (exec 3<>"/dev/tcp/$host/$wait_port") 2>/dev/null; do
    if [ -n "$server_pid" ] && ! kill -0 "$server_pid" 2>/dev/null; then
      cat "$artifacts/server.log" >&2
      die "the server exited before listening on $host:$wait_port (its log is above)"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      [ -f "$artifacts/server.log" ] && cat "$artifacts/server.log" >&2
      die "nothing listens on $host:$wait_port after ${START_TIMEOUT:-60} s"
    fi
    sleep 0.2
  done
  say "the server listens on $host:$wait_port"
}

mkdir -p "$artifacts"
get_binary
args=(--out "$out" --jobs "$jobs")
[ -n "${CASES:-}" ] && args+=(--cases "$CASES")
[ -n "${EXCLUDE:-}" ] && args+=(--exclude "$EXCLUDE")
[ -n "${BASELINE:-}" ] && args+=(--baseline "$BASELINE")
[ -n "${AGENT:-}" ] && args+=(--agent "$AGENT")
read -r -a extra <<<"${ARGS:-}"

status=0
case $role in
  server)
    start_server
    target=$url
    "$bin" test-server "$url" "${args[@]}" ${extra[@]+"${extra[@]}"} || status=$?
    ;;
  client)
    [ -n "${CLIENT_CMD:-}" ] || die "role client needs CLIENT_CMD (client-command)"
    target="client: $CLIENT_CMD"
    "$bin" test-client --listen 127.0.0.1:0 --client-cmd "$CLIENT_CMD" "${args[@]}" ${extra[@]+"${extra[@]}"} || status=$?
    ;;
  *) die "ROLE must be server or client, got '$role'" ;;
esac

for f in report.html junit.xml results.json index.json; do
  [ -f "$out/$f" ] && cp "$out/$f" "$artifacts/"
done
# test-client files results per client agent.
for f in "$out"/agents/*/results.json; do
  [ -f "$f" ] && cp "$f" "$artifacts/results-$(basename "$(dirname "$f")").json"
done
case $status in
  0) verdict="passed${BASELINE:+ (no regression against $BASELINE)}" ;;
  1) verdict=$([ -n "${BASELINE:-}" ] && echo "FAILED: regressions against $BASELINE" || echo "FAILED: some cases are not acceptable") ;;
  *) verdict="did not complete (wsconform exit $status)" ;;
esac
say "$verdict; reports in $artifacts"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  # wsconform itself wrote the counts, failures and regressions above this line.
  printf '\n**wsconform %s** (%s): %s. Reports: artifact `%s` (report.html, junit.xml, results.json).\n' \
    "$("$bin" --version | head -1)" "$target" "$verdict" "${ARTIFACT_NAME:-$(basename "$artifacts")}" >>"$GITHUB_STEP_SUMMARY"
fi
exit $status
