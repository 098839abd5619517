#!/usr/bin/env python3
"""Checks scenarios/schema.json: it is a valid JSON Schema (draft 2020-12) and
accepts every shipped scenario. Needs python3-jsonschema; says so and exits 0
without it (the C validator is the authority; this guards the editor aid)."""
import glob, json, os, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
schema = json.load(open(os.path.join(root, "scenarios", "schema.json")))
try:
    import jsonschema
except ImportError:
    print("check-schema: python3-jsonschema missing; checked only that the schema is JSON")
    sys.exit(0)
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0
files = sorted(glob.glob(os.path.join(root, "scenarios", "**", "*.json"), recursive=True))
for f in files:
    if f.endswith("schema.json") or os.sep + "sweeps" + os.sep in f:
        continue  # scenarios/sweeps/ holds sweep files (docs/sweeps.md), not scenarios
    for e in v.iter_errors(json.load(open(f))):
        bad += 1
        print(f"{os.path.relpath(f, root)}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
# and it rejects what it should (a few of the bad ones the schema can see)
for f, must in [("unknown-fields.json", "seeed"), ("bare-number-durations.json", "3600")]:
    errs = list(v.iter_errors(json.load(open(os.path.join(root, "tests", "scenarios", "bad", f)))))
    if not any(must in e.message for e in errs):
        bad += 1
        print(f"schema accepts tests/scenarios/bad/{f} ({must})")
print(f"check-schema: {len(files) - 1} scenarios, {bad} problems")
sys.exit(1 if bad else 0)
