#!/usr/bin/env bash
# Builds and runs Examples/HummingbirdEcho: the whole catalog against Hummingbird's WebSocket echo
# server from inside `swift test`, gated by the example's committed baseline of verdicts
# (Tests/HummingbirdEchoTests/Baseline/index.json): a regression fails, known failures do not.
#
# Usage: scripts/example-hummingbird.sh [--update]
#   --update  rewrite the baseline from this run instead of comparing (commit it with the reason)
#   WSCONFORM_CASES='1.*,24.*' in the environment runs only those cases (not with --update)
# Prints the build and test minutes. Not in CI: the example builds Hummingbird and its dependencies
# and runs the whole catalog in a debug build (Examples/HummingbirdEcho/README.md has the minutes).
set -euo pipefail
cd "$(dirname "$0")/../Examples/HummingbirdEcho"
export SWIFT_BACKTRACE=enable=no
case ${1:-} in
  --update) export WSCONFORM_UPDATE_BASELINE=1 ;;
  "") ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac

t0=$(date +%s)
swift build --build-tests
t1=$(date +%s)
swift test --skip-build
t2=$(date +%s)
echo "example-hummingbird: build $(( (t1 - t0) / 60 )) min $(( (t1 - t0) % 60 )) s, test $(( (t2 - t1) / 60 )) min $(( (t2 - t1) % 60 )) s"
echo "example-hummingbird: reports in Examples/HummingbirdEcho/.build/wsconform-report/"
