#!/usr/bin/env bash
# The project's test command (README "Test"; CI runs it): build with zero warnings in our own code,
# then the unit and integration tests (real sockets on 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no

# Imports against Package.swift and the target graph (CONTRIBUTING.md): seconds, before the build.
scripts/check-deps.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift build --build-tests 2>&1 | tee "$log"
# Dependencies may warn; our own sources, tests, benchmarks, fuzz targets and plugins may not.
if grep -E "^$(pwd)/(Sources|Tests|Benchmarks|Fuzz|Plugins)/.*warning:" "$log"; then
  echo "test.sh: the build has warnings in wsconform's own code (see above)" >&2
  exit 1
fi
# Pure computation first, in parallel; then the suites that use real sockets and deadlines, one
# test at a time, so CPU-heavy tests cannot starve their event loops into false timeouts on 2 cores.
socket_suites='WSTransportTests|WSPeersTests|RunnerTests|TestServer|TestClient|Conformance|NetFuzz|WSConformCLITests'
swift test --skip-build --skip "$socket_suites"
swift test --skip-build --filter "$socket_suites" --no-parallel
