#!/usr/bin/python3
"""Independent check for lameduck inject's tests: deserialises every object of a multi-document YAML
file with the official Kubernetes Python client's models (Debian's python3-kubernetes) and serialises
it back. A field the models drop (misspelt, misplaced) or a value they cannot take (a string where an
integer belongs, a missing required field) shows up as a difference.

Usage: k8s_models.py FILE  ->  prints one JSON object: {"objects": N, "checked": [...], "custom": [...], "no_model": [...],
"dropped": [...], "changed": [...], "errors": [...]}. Exit 0 when it ran (the test reads the lists).
"""
import json
import sys

import yaml
from kubernetes import client

api = client.ApiClient()


def model_name(api_version, kind):
    version = api_version.split("/")[-1]
    return version[0].upper() + version[1:] + kind


def compare(original, back, path, dropped, changed):
    if isinstance(original, dict):
        if not isinstance(back, dict):
            changed.append(path)
            return
        for key, value in original.items():
            if value is None:
                continue
            if key not in back:
                dropped.append(f"{path}.{key}")
            else:
                compare(value, back[key], f"{path}.{key}", dropped, changed)
    elif isinstance(original, list):
        if not isinstance(back, list) or len(back) != len(original):
            changed.append(path)
            return
        for i, (a, b) in enumerate(zip(original, back)):
            compare(a, b, f"{path}[{i}]", dropped, changed)
    elif original != back:
        changed.append(f"{path}: {original!r} -> {back!r}")


def check(obj, where, result):
    if not isinstance(obj, dict) or "kind" not in obj or "apiVersion" not in obj:
        return
    kind = obj["kind"]
    if kind.endswith("List") and isinstance(obj.get("items"), list):
        for i, item in enumerate(obj["items"]):
            check(item, f"{where}.items[{i}]", result)
        return
    result["objects"] += 1
    group = obj["apiVersion"].split("/")[0] if "/" in obj["apiVersion"] else ""
    if "." in group and not group.endswith(".k8s.io"):
        # Not a Kubernetes API group (cert-manager.io...): the official models do not cover it.
        result["custom"].append(f"{kind}/{(obj.get('metadata') or {}).get('name', '?')} ({obj['apiVersion']})")
        return
    name = model_name(obj["apiVersion"], kind)
    ident = f"{kind}/{(obj.get('metadata') or {}).get('name', '?')}"
    if not hasattr(client, name):
        result["no_model"].append(f"{ident} ({name})")
        return
    try:
        model = api._ApiClient__deserialize(obj, name)
        back = api.sanitize_for_serialization(model)
    except Exception as e:  # noqa: BLE001 - any failure is the finding
        result["errors"].append(f"{ident}: {type(e).__name__}: {e}")
        return
    dropped, changed = [], []
    compare(obj, back, ident, dropped, changed)
    result["dropped"] += dropped
    result["changed"] += changed
    result["checked"].append(ident)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        documents = list(yaml.safe_load_all(f))
    result = {"objects": 0, "checked": [], "custom": [], "no_model": [], "dropped": [], "changed": [], "errors": []}
    for i, document in enumerate(documents):
        check(document, f"document {i}", result)
    json.dump(result, sys.stdout)


main()
