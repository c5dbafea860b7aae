#!/usr/bin/python3
"""Prints each failed test in the TRX files given, with the head of its message, so that the last lines of a
CI log (often all that is kept) name what failed and why. Used by scripts/test.sh before its summary line."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
MAX_LINES, MAX_CHARS = 40, 300

for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        print(f"  {path}: unreadable TRX ({e})")
        continue
    for result in root.iterfind(".//t:UnitTestResult", NS):
        if result.get("outcome") != "Failed":
            continue
        print(f"FAILED {result.get('testName')} [{result.get('duration')}]")
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS)
        lines = message.splitlines()
        for line in lines[:MAX_LINES]:
            print("  | " + line[:MAX_CHARS])
        if len(lines) > MAX_LINES:
            print(f"  | … {len(lines) - MAX_LINES} more lines in {path}")
