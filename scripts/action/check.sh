#!/usr/bin/env bash
# CI's test of the GitHub Action's script (scripts/action/run.sh), against the bundled echo server:
#   1. a green run, the binary built from source as the action does without release-url;
#   2. the same cases with the first run as baseline against an echo server that now refuses
#      messages over 100 octets (an injected regression): the run must fail, exit 1;
#   3. that server with a baseline that already has its failures: known failures pass, exit 0;
#   4. role client with the bundled echo client, the binary taken from the release archive by URL.
# Every run must leave report.html and junit.xml in its artifacts folder and add to the job summary.
#
# Usage: scripts/action/check.sh [ARCHIVE]   (default: the newest dist/wsconform-*.tar.gz)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
archive=${1:-$(ls -t dist/wsconform-*.tar.gz 2>/dev/null | head -1)}
[ -f "$archive" ] || { echo "action-check: no release archive (run scripts/release.sh first)" >&2; exit 1; }
archive=$(cd "$(dirname "$archive")" && pwd)/$(basename "$archive")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GITHUB_STEP_SUMMARY=$work/summary.md
bin=$(swift build -c release --product wsconform --static-swift-stdlib --show-bin-path)/wsconform
cases='1.*,2.*,3.*'
fail() { echo "action-check: FAILED: $*" >&2; exit 1; }

action() {  # $1 name, $2 expected exit status, then VAR=value settings for run.sh
  local name=$1 expected=$2; shift 2
  local status=0 t0
  t0=$(date +%s)
  env "$@" OUT="$work/$name/results" ARTIFACTS="$work/$name/artifacts" JOBS=4 CASES="$cases" \
    scripts/action/run.sh >"$work/$name.log" 2>&1 || status=$?
  if [ "$status" -ne "$expected" ]; then
    tail -40 "$work/$name.log" >&2
    fail "$name: run.sh exited $status, expected $expected"
  fi
  for f in report.html junit.xml index.json; do
    [ -s "$work/$name/artifacts/$f" ] || fail "$name: no $f in the artifacts folder"
  done
  ls "$work/$name/artifacts"/results*.json >/dev/null 2>&1 || fail "$name: no results.json in the artifacts folder"
  grep -q "wsconform-action: " "$work/$name.log" || fail "$name: no log lines from run.sh"
  echo "action-check: $name: exit $status as expected ($(( $(date +%s) - t0 )) s): $(grep -E 'wsconform-action: (passed|FAILED)' "$work/$name.log" | tail -1 | sed 's/wsconform-action: //')"
}

echo_server="$bin echo-server --port {port} --quiet"
action green 0 ROLE=server SERVER_CMD="$echo_server" AGENT=echo
grep -q "passed" "$GITHUB_STEP_SUMMARY" || fail "green: the job summary says nothing of the run"

action regression 1 ROLE=server SERVER_CMD="$echo_server --max-message-size 100" AGENT=echo \
  BASELINE="$work/green/artifacts/results.json"
grep -q "FAILED: regressions" "$GITHUB_STEP_SUMMARY" || fail "regression: the job summary does not report the regression"
grep -q '"FAILED"' "$work/regression/artifacts/index.json" || fail "regression: the injected regression left no FAILED verdict"

action known-failures 0 ROLE=server SERVER_CMD="$echo_server --max-message-size 100" AGENT=echo \
  BASELINE="$work/regression/artifacts/results.json"

action client 0 ROLE=client CLIENT_CMD="$bin echo-client {url} --quiet" AGENT=echo-client \
  RELEASE_URL="file://$archive"
grep -q "downloading file://" "$work/client.log" || fail "client: the binary did not come from the release URL"

echo "action-check: passed ($(wc -l <"$GITHUB_STEP_SUMMARY") lines of job summary)"
