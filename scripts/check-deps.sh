#!/usr/bin/env bash
# Fails when a target imports a module it should not (scripts/test.sh runs it first; a few seconds,
# no build). Two rules:
#  1. every `import` of a package target or a dependency's product names one the target declares in
#     Package.swift (SwiftPM lets a target import whatever happens to be built before it);
#  2. the conformance library's targets depend only on those below them in CONTRIBUTING.md's graph,
#     written out in ALLOWED below: a new edge is a decision, made here and in the diagram together.
# Usage: scripts/check-deps.sh   (exit 0 clean, 1 with one line per offending import or dependency)
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# A scratch path of its own: no wait for (and no effect on) a build running in .build.
swift package --scratch-path "$scratch" dump-package >"$scratch/package.json"

python3 - "$scratch/package.json" <<'EOF'
import json, pathlib, re, sys

# The library's layers (CONTRIBUTING.md, "Targets"): the package targets each may depend on.
# WSBuiltinCatalog is data only (the bytes of Cases/, generated at build time): a leaf like WSRandom.
BASE = {"WSFrames", "WSEngine", "WSRandom", "WSResultFormat", "WSBuiltinCatalog"}
ALLOWED = {
    "WSRandom": set(),
    "WSBuiltinCatalog": set(),
    "WSResultFormat": set(),
    "WSCatalog": BASE,
    "WSJudge": BASE | {"WSCatalog"},
    "WSResults": BASE | {"WSCatalog", "WSJudge"},
    "WSCaseRunner": BASE | {"WSCatalog", "WSJudge", "WSResults", "WSTransport"},
    "WSServerTesting": BASE | {"WSCatalog", "WSJudge", "WSResults", "WSTransport", "WSCaseRunner"},
    "WSClientTesting": BASE | {"WSCatalog", "WSJudge", "WSResults", "WSTransport", "WSCaseRunner"},
    "WSNetFuzz": BASE | {"WSCatalog", "WSJudge", "WSResults", "WSTransport", "WSCaseRunner"},
    # Report writers read result files only: they must render runs of older builds.
    "WSReports": {"WSResultFormat"},
}
# Modules of the toolchain and the OS: importable by any target.
SYSTEM = {"Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationXML", "Dispatch", "Glibc",
          "Musl", "Darwin", "Android", "WinSDK", "Testing", "XCTest", "Synchronization", "_Concurrency", "os"}
# C modules of a dependency that it does not publish as a product: importable with the product.
UNPUBLISHED = {"CCompressZlib": "CompressNIO"}  # WSEngine's deflate calls zlib through compress-nio
IMPORT = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*import\s+(?:(?:struct|class|enum|protocol|typealias|func|let|var)\s+)?(\w+)")

package = json.load(open(sys.argv[1]))
targets = {t["name"]: t for t in package["targets"]}
problems = []

def declared(t):
    names = set()
    for d in t["dependencies"]:
        kind, value = next(iter(d.items()))
        names.add(value[0])
    return names

for name, t in targets.items():
    deps = declared(t)
    if name in ALLOWED:
        for d in sorted(deps & targets.keys() - ALLOWED[name]):
            problems.append(f"Package.swift: {name} depends on {d}, which is not below it in CONTRIBUTING.md's graph")
    folder = t.get("path") or ("Tests/" if t["type"] == "test" else "Sources/") + name
    # A plugin imports PackagePlugin, which SwiftPM gives every plugin.
    implicit = {"PackagePlugin"} if t["type"] == "plugin" else set()
    for path in sorted(pathlib.Path(folder).rglob("*.swift")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = IMPORT.match(line)
            if not m or m.group(1) in SYSTEM | implicit or m.group(1) == name:
                continue
            module = m.group(1)
            if module not in deps and UNPUBLISHED.get(module) not in deps:
                problems.append(f"{path}:{number}: {name} imports {module}, which it does not declare in Package.swift")

for p in problems:
    print(p)
if problems:
    print(f"check-deps.sh: {len(problems)} problem{'s' if len(problems) != 1 else ''} (above)", file=sys.stderr)
    sys.exit(1)
print(f"check-deps.sh: imports of {len(targets)} targets match Package.swift and the graph")
EOF
