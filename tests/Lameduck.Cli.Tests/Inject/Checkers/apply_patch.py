#!/usr/bin/python3
"""Independent check for lameduck webhook's tests: applies a JSON Patch (RFC 6902) with Debian's
python3-jsonpatch to an object and compares the result with a YAML/JSON document (what lameduck inject
writes for the same object).

Usage: apply_patch.py OBJECT.json PATCH.json EXPECTED.yaml  ->  prints {"equal": bool, "patched": ..., "expected": ...}
"""
import json
import sys

import jsonpatch
import yaml

with open(sys.argv[1], encoding="utf-8") as f:
    obj = json.load(f)
with open(sys.argv[2], encoding="utf-8") as f:
    patch = json.load(f)
with open(sys.argv[3], encoding="utf-8") as f:
    expected = yaml.safe_load(f)
patched = jsonpatch.apply_patch(obj, patch)
json.dump({"equal": patched == expected, "patched": patched, "expected": expected}, sys.stdout)
