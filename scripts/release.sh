#!/usr/bin/env bash
# Builds the self-contained release binary and its archive: wsconform in release with the Swift
# runtime linked statically (--static-swift-stdlib) and the case catalog built in, so the binary
# runs alone from any directory on any x86_64/aarch64 Linux with glibc (it needs only libc, libm and
# zlib, see README "Install").
#
# Usage: scripts/release.sh
# Writes dist/wsconform-<version>-<os>-<arch>.tar.gz (the binary, README.md and the datasets'
# licences) and dist/wsconform-<version>-<os>-<arch>.tar.gz.sha256 (`sha256sum -c` format), and
# prints the archive's path on its last line. scripts/interop.sh builds with the same flags, so a CI
# run that does both builds release only once.
set -euo pipefail
cd "$(dirname "$0")/.."
export SWIFT_BACKTRACE=enable=no

build=(swift build -c release --product wsconform --static-swift-stdlib)
"${build[@]}" >&2  # the build's output to stderr: stdout ends with the archive's path
bin=$("${build[@]}" --show-bin-path)/wsconform
version=$("$bin" --version | head -1)
os=$(uname -s | tr '[:upper:]' '[:lower:]')
arch=$(uname -m)
name=wsconform-$version-$os-$arch

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name/licenses"
# Debug info only: the symbol table stays, so crash backtraces still name functions.
strip --strip-debug -o "$stage/$name/wsconform" "$bin"
cp README.md "$stage/$name/"
cp Cases/data/README.md "$stage/$name/licenses/datasets-README.md"
cp Cases/data/LICENSE-Apache-2.0.txt "$stage/$name/licenses/datasets-LICENSE-Apache-2.0.txt"

mkdir -p dist
archive=dist/$name.tar.gz
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2000-01-01 00:00Z' -C "$stage" -cf - "$name" \
  | gzip -9n >"$archive"
(cd dist && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "release: $name: binary $(stat -c %s "$stage/$name/wsconform") bytes, archive $(stat -c %s "$archive") bytes"
echo "release: the binary needs these shared libraries:"
ldd "$stage/$name/wsconform" | sed 's/^/  /'
echo "$archive"
