#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script: builds every Fuzz/<Target> with libFuzzer and copies into
# $OUT the executable plus <target>_seed_corpus.zip, <target>.dict and <target>.options.
#
# Runs in gcr.io/oss-fuzz-base/base-builder-swift, whose `precompile_swift` copies the Swift-aware
# llvm-symbolizer into $OUT and sets SWIFTFLAGS. Its flags are not used as they are: without
# SwiftPM's own --sanitize=fuzzer a tools-version >= 5.5 executable target fails to link
# ("undefined symbol <Target>_main"), and swiftc keeps only the last -sanitize= flag, so the flags
# are rebuilt here in the order that works. Locally (no base image) set SRC, OUT and WORK by hand.

SANITIZER=${SANITIZER:-address}
cd "$SRC/wsconform"
export SWIFT_BACKTRACE=enable=no

if command -v precompile_swift > /dev/null; then
    . precompile_swift
elif command -v llvm-symbolizer > /dev/null; then
    cp "$(command -v llvm-symbolizer)" "$OUT/llvm-symbolizer"
fi

flags=(-c release --scratch-path "$WORK/wsconform-build"
       -Xswiftc -parse-as-library -Xswiftc -DWSFUZZ_LIBFUZZER
       # Self-contained executables: the runner image has no Swift runtime.
       -Xswiftc -static-stdlib --static-swift-stdlib)
if [[ "$SANITIZER" == coverage ]]; then
    flags+=(-Xswiftc -profile-generate -Xswiftc -profile-coverage-mapping -Xswiftc -sanitize=fuzzer
            --sanitize=fuzzer)
else
    flags+=(--sanitize=fuzzer -Xswiftc "-sanitize=fuzzer,$SANITIZER")
fi
# The C parts (zlib wrappers, BoringSSL, NIO shims) get the engine's CFLAGS, as precompile_swift does.
for flag in ${CFLAGS:-}; do flags+=("-Xcc=$flag"); done

for dir in Fuzz/Fuzz*/; do
    target=$(basename "$dir")
    [[ -f "$dir/$target.swift" ]] || continue
    swift build "${flags[@]}" --product "$target"
    cp "$(swift build "${flags[@]}" --show-bin-path)/$target" "$OUT/$target"
    cp "$dir/$target.dict" "$dir/$target.options" "$OUT/"
    rm -f "$OUT/${target}_seed_corpus.zip"
    (cd "$dir" && zip -q -j "$OUT/${target}_seed_corpus.zip" $(find corpus regressions -type f ! -name '.*'))
done
