#!/usr/bin/env bash
# The README's test command (scripts/test.sh) N times in a row (default 5), for issue 13's flake rate: one line per
# run with its result line ("Tests: N passed, M failed, K skipped"), its wall time and each test project's time
# (from the TRX files), in artifacts/test-runs/summary.tsv; each run's full output in artifacts/test-runs/run-N.log
# and its TRX files in artifacts/test-runs/run-N/. Exit 1 if any run failed. Run it on an otherwise idle machine.
#
#   bash scripts/test-runs.sh        # 5 runs, about 35 minutes on 2 cores (LAMEDUCK_TEST_LANES=1: about an hour)
#   bash scripts/test-runs.sh 2
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
case $runs in ''|*[!0-9]*) echo "test-runs.sh: N must be a number of runs, got '$runs'" >&2; exit 2 ;; esac
out=artifacts/test-runs
rm -rf "$out"; mkdir -p "$out"
summary="$out/summary.tsv"
printf 'run\tstarted_utc\tload_avg_1m\tresult\twall_s\tproject_times\texit\n' > "$summary"
failed=0
for i in $(seq 1 "$runs"); do
  started=$(date -u +%H:%M:%S); load=$(cut -d' ' -f1 /proc/loadavg); t0=$(date +%s)
  code=0
  bash scripts/test.sh > "$out/run-$i.log" 2>&1 || code=$?
  wall=$(( $(date +%s) - t0 ))
  result=$(grep -E '^Tests: ' "$out/run-$i.log" | tail -n 1 || true)
  mkdir -p "$out/run-$i"; cp artifacts/test-results/*.trx "$out/run-$i/" 2>/dev/null || true
  # Each project's time: the TRX <Times start= finish=> of its run.
  times=$(python3 - "$out/run-$i" <<'PY'
import glob, os, re, sys
from datetime import datetime
parts = []
for trx in sorted(glob.glob(os.path.join(sys.argv[1], "*.trx"))):
    head = open(trx, encoding="utf-8").read(4000)
    m = re.search(r'<Times [^>]*start="([^"]+)"[^>]*finish="([^"]+)"', head)
    if not m: continue
    parse = lambda s: datetime.fromisoformat(re.sub(r"(\.\d{6})\d*", r"\1", s))
    seconds = (parse(m.group(2)) - parse(m.group(1))).total_seconds()
    parts.append(f"{os.path.basename(trx)[:-4]}={seconds:.0f}s")
print(" ".join(parts))
PY
)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$started" "$load" "${result:-no result line}" "$wall" "$times" "$code" >> "$summary"
  echo "test-runs: run $i/$runs at $started (load $load): ${result:-no result line}, $((wall / 60)) min $((wall % 60)) s, exit $code ($times)"
  [ "$code" -eq 0 ] || failed=$((failed + 1))
done
echo "test-runs: $((runs - failed)) of $runs runs green ($summary)"
[ "$failed" -eq 0 ]
