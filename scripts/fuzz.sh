#!/usr/bin/env bash
# Build and run wsconform's libFuzzer targets (Fuzz/<Target>/, see Fuzz/README.md).
#
#   scripts/fuzz.sh build [TARGET...]          build with libFuzzer + ASan (release, .build-fuzz)
#   scripts/fuzz.sh run TARGET [SECONDS] [ARGS] fuzz one target (default 60 s); extra libFuzzer ARGS
#   scripts/fuzz.sh smoke [SECONDS]            every target briefly (default 20 s each), one at a time
#   scripts/fuzz.sh regress                    replay committed corpora and regressions once (-runs=0)
#   scripts/fuzz.sh merge TARGET               minimise the working corpus into Fuzz/TARGET/corpus
#   scripts/fuzz.sh seeds                      rewrite the seed files from Tests/WSFuzzTests/SeedCorpus.swift
#   scripts/fuzz.sh list                       the target names
#   scripts/fuzz.sh compare [SECONDS]          exec/s of the frame target against NIO's decoder, same run
#
# Builds are focused (coverage only in WSEngine and the properties, .build-fuzz-focus) except for
# FuzzCaseLoader; WSFUZZ_FULL=1 instruments everything, as ClusterFuzzLite does (.build-fuzz).
#
# Exit status: 0 all good, 1 a crash or broken property (the input is kept under Fuzz/.work/<T>/),
# 2 usage error. New corpus entries go to Fuzz/.work/<T>/corpus (not committed); the committed
# corpus and regressions are only read.
set -euo pipefail

cd "$(dirname "$0")/.."
# Without this the runtime's backtracer can keep stdout open after a crash and hang the job.
export SWIFT_BACKTRACE=enable=no

SCRATCH=${WSFUZZ_SCRATCH:-.build-fuzz}
WORK=Fuzz/.work
mkdir -p "$WORK"
# Full build: every module, dependencies included, instrumented for coverage (SwiftPM's
# --sanitize=fuzzer), as ClusterFuzzLite builds them.
FULL_FLAGS=(-c release --scratch-path "$SCRATCH" --sanitize=fuzzer
            # swiftc keeps only the last -sanitize=, so the comma form must come after --sanitize=fuzzer.
            -Xswiftc -sanitize=fuzzer,address
            # libFuzzer brings main(); the targets' LLVMFuzzerTestOneInput is behind WSFUZZ_LIBFUZZER.
            -Xswiftc -parse-as-library -Xswiftc -DWSFUZZ_LIBFUZZER)
# Focused build (the default, see Fuzz/README.md): ASan everywhere, coverage only in WSEngine and
# the properties; Package.swift switches it on when WSFUZZ_FOCUS names libFuzzer's no-main runtime.
FOCUS_FLAGS=(-c release --scratch-path "$SCRATCH-focus" --sanitize=address)
# Targets whose code under test lives in dependencies (Yams, NIO) keep the full build.
FULL_TARGETS=" FuzzCaseLoader ReferenceNIOFrameDecoder "

fuzzer_runtime() {
    local swiftc clang_dir
    swiftc=$(readlink -f "$(command -v swiftc)")
    for clang_dir in "$(dirname "$swiftc")"/../lib/clang/*/lib/linux "$(dirname "$swiftc")"/../lib/swift/clang/lib/linux; do
        if [[ -f "$clang_dir/libclang_rt.fuzzer_no_main-$(uname -m).a" ]]; then
            readlink -f "$clang_dir/libclang_rt.fuzzer_no_main-$(uname -m).a"
            return
        fi
    done
}

# The build of target $1: "full" or "focus".
mode() {
    if [[ -n "${WSFUZZ_FULL:-}" || "$FULL_TARGETS" == *" $1 "* ]]; then echo full; return; fi
    if [[ -z "$(fuzzer_runtime)" ]]; then
        echo "fuzz.sh: libclang_rt.fuzzer_no_main not found next to swiftc; using the full build" >&2
        echo full
        return
    fi
    echo focus
}

# SwiftPM keeps object files compiled with Package.swift's old flags (the coverage settings live
# there): when it changed since the last build in scratch $1, drop our own modules' objects and the
# build plan so that they are compiled again. Dependencies are left alone.
invalidate_if_package_changed() {
    local scratch=$1 stamp="$1/.wsconform-package.sha" sum dir
    sum=$(sha256sum Package.swift | cut -d' ' -f1)
    [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" ]] && return 0
    if [[ -d "$scratch/release" ]]; then
        rm -f "$scratch/release.yaml"
        for dir in Sources/*/ Fuzz/*/; do
            dir=${dir%/}
            rm -f "$scratch"/release/"${dir##*/}".build/*.o
        done
    fi
    mkdir -p "$scratch"
    echo "$sum" > "$stamp"
}

# swift build for target $1 with the rest of the arguments.
swift_build() {
    local t=$1; shift
    if [[ $(mode "$t") == full ]]; then
        invalidate_if_package_changed "$SCRATCH"
        swift build "${FULL_FLAGS[@]}" "$@"
    else
        invalidate_if_package_changed "$SCRATCH-focus"
        WSFUZZ_FOCUS=$(fuzzer_runtime) swift build "${FOCUS_FLAGS[@]}" "$@"
    fi
}

targets() {
    local dir
    for dir in Fuzz/Fuzz*/; do
        dir=${dir%/}
        if [[ -f "$dir/${dir##*/}.swift" ]]; then echo "${dir##*/}"; fi
    done
}

die() { echo "fuzz.sh: $*" >&2; exit 2; }

check_target() {
    # Not `targets | grep -q`: grep quits at the first match, targets can then die of SIGPIPE, and
    # pipefail turns that into "unknown target" (it failed CI once).
    local known
    known=$(targets)
    grep -qx "$1" <<< "$known" || [[ $1 == ReferenceNIOFrameDecoder ]] || die "unknown target '$1' (try: scripts/fuzz.sh list)"
}

bin_path() { swift_build "$1" --show-bin-path; }

build() {
    local names=("$@") t
    [[ ${#names[@]} -eq 0 ]] && mapfile -t names < <(targets)
    for t in "${names[@]}"; do
        check_target "$t"
        echo "== building $t ($(mode "$t") build)"
        if ! swift_build "$t" --product "$t" > "$WORK/build-$t.log" 2>&1; then
            cat "$WORK/build-$t.log" >&2
            echo "fuzz.sh: build of $t failed" >&2
            exit 1
        fi
        # ld.gold's "Cannot export local symbol '__asan_*'" warnings are harmless; show anything else.
        grep -E 'warning:|error:' "$WORK/build-$t.log" | grep -v "Cannot export local symbol '__asan" >&2 || true
    done
}

# libFuzzer flags from Fuzz/<T>/<T>.options ([libfuzzer] key = value), with the dict path made local.
options_flags() { options_section "$1" libfuzzer | sed 's/^/-/'; }

# ASAN_OPTIONS from the [asan] section (as ClusterFuzz applies it), colon-separated.
asan_options() { options_section "$1" asan | paste -sd: -; }

# "key=value" lines of one section of Fuzz/<T>/<T>.options.
options_section() {
    local t=$1 wanted=$2 section="" key value
    while IFS='=' read -r key value; do
        key=$(echo "$key" | tr -d ' ') value=$(echo "$value" | tr -d ' ')
        [[ -z "$key" || "$key" == \#* ]] && continue
        if [[ "$key" == \[*\] ]]; then section=${key:1:-1}; continue; fi
        [[ "$section" == "$wanted" ]] || continue
        [[ "$key" == dict ]] && value="Fuzz/$t/$value"
        echo "$key=$value"
    done < "Fuzz/$t/$t.options"
}

# One line per run: executions, exec/s, coverage, features, corpus size, peak RSS.
summarize() {
    local t=$1 log=$2 status=$3 last execs rate rss
    last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 || true)
    execs=$(grep -Eo 'stat::number_of_executed_units: +[0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+$' || true)
    rate=$(grep -Eo 'stat::average_exec_per_sec: +[0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+$' || true)
    rss=$(grep -Eo 'stat::peak_rss_mb: +[0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+$' || true)
    printf '%-24s %-6s execs=%-10s exec/s=%-7s %s rss=%sMB\n' "$t" "$([[ $status -eq 0 ]] && echo ok || echo CRASH)" \
        "${execs:-?}" "${rate:-?}" "$(echo "$last" | grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*' || echo 'cov: ?')" \
        "${rss:-?}"
}

run_one() {
    local t=$1 seconds=$2; shift 2
    local dir="$WORK/$t" status=0
    mkdir -p "$dir/corpus" "$dir/artifacts"
    local flags
    mapfile -t flags < <(options_flags "$t")
    echo "== fuzzing $t for ${seconds}s"
    ASAN_OPTIONS=$(asan_options "$t") "$(bin_path "$t")/$t" "$dir/corpus" "Fuzz/$t/corpus" "Fuzz/$t/regressions" "${flags[@]}" \
        -rss_limit_mb=2048 -timeout=10 -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" "$@" > "$dir/run.log" 2>&1 || status=$?
    if [[ $status -ne 0 ]]; then
        grep -E 'Fatal error|ERROR: |SUMMARY|property violated|Test unit written' "$dir/run.log" | head -20 >&2 || true
        echo "fuzz.sh: $t failed (exit $status); log: $dir/run.log, input: $dir/artifacts/" >&2
    fi
    summarize "$t" "$dir/run.log" "$status" | tee -a "$WORK/summary.txt"
    return $status
}

command=${1:-}
[[ $# -gt 0 ]] && shift
case "$command" in
    list)
        targets
        ;;
    build)
        build "$@"
        ;;
    run)
        [[ $# -ge 1 ]] || die "usage: fuzz.sh run TARGET [SECONDS] [libFuzzer args]"
        t=$1; shift
        check_target "$t"
        seconds=60
        if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then seconds=$1; shift; fi
        build "$t"
        run_one "$t" "$seconds" "$@"
        ;;
    smoke)
        seconds=${1:-20}
        [[ "$seconds" =~ ^[0-9]+$ ]] || die "usage: fuzz.sh smoke [SECONDS]"
        mapfile -t names < <(targets)
        build "${names[@]}"
        failed=()
        for t in "${names[@]}"; do
            run_one "$t" "$seconds" || failed+=("$t")
        done
        if [[ ${#failed[@]} -gt 0 ]]; then
            echo "fuzz.sh: crashes in: ${failed[*]}" >&2
            exit 1
        fi
        ;;
    regress)
        mapfile -t names < <(targets)
        build "${names[@]}"
        failed=()
        for t in "${names[@]}"; do
            mapfile -t flags < <(options_flags "$t")
            # -runs=0: execute every input of the given directories once, then stop.
            if ASAN_OPTIONS=$(asan_options "$t") "$(bin_path "$t")/$t" -runs=0 "${flags[@]}" "Fuzz/$t/corpus" "Fuzz/$t/regressions" > "$WORK/regress-$t.log" 2>&1; then
                printf '%-24s ok   %s inputs\n' "$t" "$(find "Fuzz/$t/corpus" "Fuzz/$t/regressions" -type f ! -name '.*' | wc -l)"
            else
                failed+=("$t")
                grep -E 'Fatal error|ERROR: |property violated|Running: ' "$WORK/regress-$t.log" | tail -5 >&2 || true
                printf '%-24s FAIL (log: %s)\n' "$t" "$WORK/regress-$t.log"
            fi
        done
        if [[ ${#failed[@]} -gt 0 ]]; then
            echo "fuzz.sh: regressions in: ${failed[*]}" >&2
            exit 1
        fi
        ;;
    merge)
        [[ $# -eq 1 ]] || die "usage: fuzz.sh merge TARGET"
        t=$1
        check_target "$t"
        build "$t"
        mapfile -t flags < <(options_flags "$t")
        # Adds to the committed corpus the fewest working-corpus inputs that bring all their new
        # features (a set cover: about a third of the files plain -merge=1 keeps, same features).
        ASAN_OPTIONS=$(asan_options "$t") "$(bin_path "$t")/$t" -set_cover_merge=1 "${flags[@]}" "Fuzz/$t/corpus" "$WORK/$t/corpus"
        ;;
    seeds)
        WSFUZZ_WRITE_SEEDS=1 swift test --filter WSFuzzTests.SeedCorpusTests
        ;;
    compare)
        # The frame target (focused build, as `run` uses it, and full build, as ClusterFuzzLite
        # builds it) against SwiftNIO's WebSocketFrameDecoder wrapped the plain way (full build),
        # one after the other from the same seeds, with the frame target's own options.
        seconds=${1:-60}
        [[ "$seconds" =~ ^[0-9]+$ ]] || die "usage: fuzz.sh compare [SECONDS]"
        t=FuzzFrameParserServer
        build "$t" ReferenceNIOFrameDecoder
        echo "== building $t (full build, for the like-for-like row)"
        swift build "${FULL_FLAGS[@]}" --product "$t" > "$WORK/build-$t-full.log" 2>&1 || { cat "$WORK/build-$t-full.log" >&2; exit 1; }
        mapfile -t flags < <(options_flags "$t")
        rates=()
        for which in "$t focus" "$t full" "ReferenceNIOFrameDecoder full"; do
            read -r name build_kind <<< "$which"
            dir=$(mktemp -d)
            if [[ $build_kind == focus ]]; then bin=$(WSFUZZ_FOCUS=$(fuzzer_runtime) swift build "${FOCUS_FLAGS[@]}" --show-bin-path)
            else bin=$(swift build "${FULL_FLAGS[@]}" --show-bin-path); fi
            ASAN_OPTIONS=$(asan_options "$t") "$bin/$name" "$dir" "Fuzz/$t/corpus" "${flags[@]}" -rss_limit_mb=2048 \
                -max_total_time="$seconds" -print_final_stats=1 > "$WORK/compare-$name-$build_kind.log" 2>&1 || true
            rate=$(grep -Eo 'stat::average_exec_per_sec: +[0-9]+' "$WORK/compare-$name-$build_kind.log" | grep -Eo '[0-9]+$' || echo 0)
            cov=$(grep -E '^#[0-9]+.*cov: ' "$WORK/compare-$name-$build_kind.log" | tail -1 | grep -Eo 'cov: [0-9]+' || echo 'cov: ?')
            printf '%-26s %-6s exec/s=%-8s %s\n' "$name" "$build_kind" "$rate" "$cov"
            rates+=("$rate")
            rm -rf "$dir"
        done
        awk -v a="${rates[0]}" -v b="${rates[1]}" -v r="${rates[2]}" 'BEGIN {
            if (r > 0) printf "frame target / NIO decoder: %.1fx (focused build), %.1fx (full build)\n", a / r, b / r }'
        ;;
    *)
        sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
        [[ -z "$command" || "$command" == help || "$command" == -h ]] || exit 2
        ;;
esac
