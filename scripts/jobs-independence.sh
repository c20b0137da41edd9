#!/usr/bin/env bash
# Verdicts must not depend on --jobs: runs a subset of the catalog against a deliberately slow,
# single-threaded echo server (scripts/peers/slow_echo_server.py: 1 ms of blocking sleep per
# message, permessage-deflate on) once with --jobs 1 and once with the default jobs, and fails
# when any verdict differs (wsconform diff), except in the cases whose verdict depends on timing
# inside python-websockets itself (reports/baselines/websockets-server/unstable.txt: they flip
# between two --jobs 1 runs too), which are only reported. The subset mixes quick sections, the
# timing-sensitive 6.4.x barriers, and round trips of sections 9, 12 and 13.
#
# Usage: scripts/jobs-independence.sh [--cases PATTERNS] [--server-cmd CMD]
#   --cases       patterns to run instead of the subset (e.g. '*' for the whole catalog)
#   --server-cmd  another server, started by test-server --server-cmd ({port}); default the slow one
#   --unstable    the list of cases whose verdict may flip inside the peer (default: websockets')
# WSCONFORM=path runs that binary instead of building one.
# Exit: 0 same verdicts, 1 a verdict differs, 3 a run itself failed. Results in
# .build-interop/jobs-independence/{jobs-1,jobs-default} (JOBS_OUT overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no
root=$PWD
work=${INTEROP_WORK:-$root/.build-interop}
out=${JOBS_OUT:-$work/jobs-independence}
cases='1.*,2.*,3.*,4.*,5.*,6.4.*,7.1.*,9.1.1,9.2.1,9.7.1,9.7.2,9.8.1,9.8.2,10.*,12.1.1,12.1.2,12.2.1,12.3.1,13.1.1,13.3.1'
server_cmd=""
unstable=$root/reports/baselines/websockets-server/unstable.txt
while [ $# -gt 0 ]; do
  case $1 in
    --cases) cases=$2; shift 2 ;;
    --server-cmd) server_cmd=$2; shift 2 ;;
    --unstable) unstable=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "jobs-independence: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work" "$out"

if [ ! -x "$work/venv/bin/python" ] || ! "$work/venv/bin/python" -c 'import websockets' 2>/dev/null; then
  echo "jobs-independence: installing Python websockets into $work/venv"
  if ! python3 -m venv "$work/venv" 2>/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv) >/dev/null
    python3 -m venv "$work/venv"
  fi
  "$work/venv/bin/pip" install -q websockets
fi
[ -n "$server_cmd" ] || server_cmd="$work/venv/bin/python $root/scripts/peers/slow_echo_server.py {port}"
if [ -n "${WSCONFORM:-}" ]; then
  wsconform=$WSCONFORM
else
  # The same flags as scripts/release.sh and interop.sh: their build is reused, not redone.
  swift build -c release --product wsconform --static-swift-stdlib >"$work/jobs-build.log" 2>&1 || { cat "$work/jobs-build.log"; exit 3; }
  wsconform=$(swift build -c release --static-swift-stdlib --show-bin-path)/wsconform
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start=$(date +%s)
for jobs in 1 default; do
  dir=$out/jobs-$jobs
  rm -rf "$dir"
  jobs_args=()
  [ "$jobs" = default ] || jobs_args=(--jobs "$jobs")
  t0=$(date +%s)
  status=0
  "$wsconform" test-server "ws://127.0.0.1:$(free_port)" --server-cmd "$server_cmd" --cases "$cases" \
    --agent jobs-independence --out "$dir" --quiet --no-html --no-junit ${jobs_args[@]+"${jobs_args[@]}"} \
    >"$dir.txt" 2>&1 || status=$?
  if [ "$status" -ge 2 ]; then
    echo "jobs-independence: the --jobs $jobs run failed (exit $status):" >&2
    tail -20 "$dir.txt" >&2
    exit 3
  fi
  echo "jobs-independence: --jobs $jobs: $(grep -E '^[0-9]+ cases? run' "$dir.txt"), $(( $(date +%s) - t0 )) s"
  sed -n '/^Failed only when run alongside/,$p' "$dir.txt"
done

"$wsconform" diff "$out/jobs-1/results.json" "$out/jobs-default/results.json" --fail-on verdict >"$out/diff.txt" 2>&1 || true
if { "$wsconform" diff "$out/jobs-1/results.json" "$out/jobs-default/results.json" --format json 2>/dev/null || true; } \
     | python3 "$root/scripts/lib/interop-gate.py" "$unstable" >"$out/gate.txt"; then
  cat "$out/gate.txt"
  echo "jobs-independence: same verdicts with --jobs 1 and the default jobs ($(( $(date +%s) - start )) s)"
else
  echo "jobs-independence: verdicts differ between --jobs 1 and the default jobs:" >&2
  cat "$out/gate.txt" "$out/diff.txt" >&2
  exit 1
fi
