#!/usr/bin/env bash
# The README's main job, N times back to back (default 20): exactly
#   dotnet run --project src/Lameduck.Cli -c Release -- lab --sample both
# Each run's output is kept in artifacts/bench-lab/main-job/run-NN.txt; the script prints one line per run (errors of
# the baseline and of Lameduck, the load average when it started) and the verdict issue 11 asks for: baseline >= 100
# errors and Lameduck 0 in every run. Exit 1 if any run misses it. About 2 minutes per run.
#
#   bash bench/lab/main-job.sh          # 20 runs, ~40 min
#   bash bench/lab/main-job.sh 3
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-20}
case $runs in ''|*[!0-9]*) echo "main-job.sh: N must be a number of runs, got '$runs'" >&2; exit 2 ;; esac
out=${OUT:-artifacts/bench-lab/main-job}
mkdir -p "$out"
summary="$out/summary.tsv"
printf 'run\tstarted_utc\tload_avg_1m\tbaseline_errors\tlameduck_errors\tbaseline_requests\tlameduck_requests\texit\n' > "$summary"
missed=0
for i in $(seq -w 1 "$runs"); do
  started=$(date -u +%H:%M:%S); load=$(cut -d' ' -f1 /proc/loadavg)
  file="$out/run-$i.txt"
  code=0
  dotnet run --project src/Lameduck.Cli -c Release -- lab --sample both > "$file" 2> "$out/run-$i.log" || code=$?
  # The before/after table's rows: "requests  60000  60000" and "errors  N  M".
  read -r b_req l_req < <(awk '$1 == "requests" && NF == 3 {print $2, $3}' "$file" | tail -n 1) || true
  read -r b_err l_err < <(awk '$1 == "errors" && NF == 3 {print $2, $3}' "$file" | tail -n 1) || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$started" "$load" "${b_err:--}" "${l_err:--}" "${b_req:--}" "${l_req:--}" "$code" >> "$summary"
  verdict=ok
  if [ "$code" -ne 0 ] || [ -z "${b_err:-}" ] || [ "${b_err}" -lt 100 ] || [ "${l_err}" -ne 0 ]; then verdict=MISSED; missed=$((missed + 1)); fi
  echo "main-job: run $i/$runs at $started (load $load): baseline ${b_err:-?} errors of ${b_req:-?}, lameduck ${l_err:-?} of ${l_req:-?}, exit $code: $verdict"
  unset b_err l_err b_req l_req
done
echo "main-job: $((10#$runs - missed)) of $((10#$runs)) runs with baseline >= 100 errors and Lameduck 0 ($summary)"
[ "$missed" -eq 0 ]
