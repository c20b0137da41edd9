#!/usr/bin/env bash
# Proves the release binary is self-contained: only the binary, copied into an empty directory and
# run with an empty environment (env -i PATH=/usr/bin:/bin), lists the whole built-in catalog,
# passes self-test on sections 1-7, serves as echo server for a test-server run that uses the
# built-in datasets, and still loads a catalog of the user's own from --catalog DIR. Also checks
# that it links only the C libraries every glibc Linux has.
#
# Usage: scripts/release-check.sh [ARCHIVE]   (default: build one with scripts/release.sh)
# Exit: 0 all checks passed, 1 a check failed (the failing output is printed).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# The repository's Cases directory, counted by the same binary below: the built-in copy must match.
expected_cases=

archive=${1:-}
if [ -z "$archive" ]; then
  archive=$(scripts/release.sh | tail -1)
fi
[ -f "$archive" ] || { echo "release-check: no archive at $archive" >&2; exit 1; }
(cd "$(dirname "$archive")" && sha256sum -c --quiet "$(basename "$archive").sha256")

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
tar -xzf "$archive" -C "$work"
mkdir "$work/empty"
cp "$work"/wsconform-*/wsconform "$work/empty/"
cd "$work/empty"
# Nothing of the build, the repository or the caller's environment is reachable from here.
run() { env -i PATH=/usr/bin:/bin SWIFT_BACKTRACE=enable=no ./wsconform "$@"; }
fail() { echo "release-check: FAILED: $*" >&2; exit 1; }

echo "release-check: $(basename "$archive"), binary $(stat -c %s wsconform) bytes"
libs=$(ldd wsconform | awk '{print $1}' | sed 's#.*/##' | sort)
echo "release-check: links $(echo $libs)"
for lib in $libs; do
  case $lib in
    # glibc's own, zlib, and the GCC runtime (libstdc++ for the C++ in the static Swift runtime and
    # BoringSSL, libgcc_s): every glibc distribution's base image has them (apt and dnf need them).
    linux-vdso.so.*|ld-linux-*.so.*|libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|libutil.so.*) ;;
    libz.so.*|libstdc++.so.*|libgcc_s.so.*) ;;
    *) fail "links $lib, which is not among the libraries every glibc Linux has (libc, libm, libz, libstdc++, libgcc_s)" ;;
  esac
done

expected_cases=$(run cases list --catalog "$root/Cases" | tail -1 | awk '{print $1}')
[ -n "$expected_cases" ] || fail "cannot count the cases of $root/Cases"
version=$(run --version)
echo "$version" | sed 's/^/  /'
echo "$version" | grep -q "built-in catalog: $expected_cases cases" || fail "--version does not name a built-in catalog of $expected_cases cases"

run cases list >list.txt || fail "cases list exited $?"
tail -1 list.txt | grep -q "^$expected_cases cases" || fail "cases list ends with '$(tail -1 list.txt)', expected '$expected_cases cases...'"
run cases validate || fail "the built-in catalog does not validate"

# A catalog of the user's own, with --catalog.
mkdir own
cat >own/90-mine.yaml <<'YAML'
section: 90
title: My own cases
cases:
  - id: "90.1"
    title: A text message is echoed
    description: Send one text message "hello".
    expectation: The peer echoes it; the harness then closes with 1000.
    steps:
      - message: {type: text, payload: "hello"}
      - guard: {close_after: 1s}
    expect:
      events: {OK: [{text: "hello"}]}
      close: {closed_by: harness, codes: [1000], clean: true}
YAML
run cases list --catalog own >own.txt 2>&1 || { cat own.txt; fail "cases list --catalog own exited non-zero"; }
tail -1 own.txt | grep -q "^1 case" || fail "--catalog own lists '$(tail -1 own.txt)', expected '1 case...'"

t0=$(date +%s)
run self-test --cases 1-7 --out self-test --quiet >self-test.txt 2>&1 || { tail -30 self-test.txt; fail "self-test --cases 1-7 exited non-zero"; }
[ -f self-test/server/report.html ] && [ -f self-test/client/junit.xml ] || fail "self-test wrote no reports"
echo "release-check: self-test --cases 1-7: all acceptable ($(( $(date +%s) - t0 )) s)"

# echo-server + test-server, including the deflate cases whose datasets are built in (12.1: data1.json,
# 12.3: pg2229.txt, 12.4: data1.html, 12.2/12.5: generated).
env -i PATH=/usr/bin:/bin SWIFT_BACKTRACE=enable=no ./wsconform echo-server --port 0 --deflate --quiet >server-url.txt 2>server.log &
server_pid=$!
for _ in $(seq 100); do [ -s server-url.txt ] && break; sleep 0.1; done
url=$(head -1 server-url.txt)
[ -n "$url" ] || { cat server.log; fail "echo-server printed no URL"; }
t0=$(date +%s)
run test-server "$url" --cases '1.*,12.1.1,12.2.1,12.3.1,12.4.1,12.5.1,13.1.1' --out test-server --quiet \
  >test-server.txt 2>&1 || { tail -30 test-server.txt; fail "test-server against the echo server exited non-zero"; }
grep -q '"behavior"' test-server/index.json || fail "test-server wrote no index.json"
run test-server "$url" --catalog own --out test-server-own --quiet >own-run.txt 2>&1 \
  || { tail -30 own-run.txt; fail "test-server --catalog own exited non-zero"; }
grep -q '"90.1"' test-server-own/index.json || fail "test-server --catalog own did not run case 90.1"
echo "release-check: echo-server + test-server: all acceptable ($(( $(date +%s) - t0 )) s)"
echo "release-check: passed"
