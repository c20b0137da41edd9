#!/usr/bin/env python3
"""Validates wsconform result files against docs/results.schema.json (JSON Schema draft 2020-12).

Usage: scripts/validate-results.py FILE_OR_DIR...
  results.json  is validated as a whole document;
  results.jsonl line by line against the schema's #/$defs/case;
  a directory   by its results.json and results.jsonl (and those of server-N/ subdirectories).
Exit status 0 when every file is valid, 1 otherwise. Needs the `jsonschema` package.
"""
import json
import pathlib
import sys

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "results.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(SCHEMA)
DOCUMENT = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
CASE = jsonschema.Draft202012Validator({"$ref": "#/$defs/case", "$defs": SCHEMA["$defs"]},
                                       format_checker=jsonschema.FormatChecker())


def report(path, where, errors):
    for e in errors:
        location = "/".join(str(p) for p in e.absolute_path)
        print(f"{path}{where}: at /{location}: {e.message}")
    return len(errors)


def validate(path):
    bad = 0
    if path.is_dir():
        found = [p for p in (path / "results.json", path / "results.jsonl") if p.exists()]
        found += sorted(path.glob("server-*/results.json")) + sorted(path.glob("server-*/results.jsonl"))
        if not found:
            print(f"{path}: no results.json or results.jsonl")
            return 1
        return sum(validate(p) for p in found)
    if path.suffix == ".jsonl":
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if line.strip():
                bad += report(path, f":{n}", list(CASE.iter_errors(json.loads(line))))
    else:
        bad += report(path, "", list(DOCUMENT.iter_errors(json.loads(path.read_text()))))
    if not bad:
        print(f"{path}: valid")
    return bad


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(1 if sum(validate(pathlib.Path(a)) for a in sys.argv[1:]) else 0)
