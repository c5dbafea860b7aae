#!/usr/bin/env bash
# Lameduck library benchmark: HelloService with Lameduck (--graceful true) against the same service
# without it (--graceful false, ASP.NET Core out of the box), measured in the same run, interleaved.
#
#   bash bench/library/run.sh                 # defaults below
#   PAIRS=5 ROUNDS=6 DURATION=10s bash bench/library/run.sh   # more rounds, tighter figures
#
# 1. Serving normally: wrk throughput and p99 latency (targets: >= 0.98x, within 5 %), in alternating rounds.
#    Working set (target: within 1 MB of the baseline): VmRSS in the middle of a wrk run, over MEM_PAIRS fresh
#    process pairs (a process's heap size moves by whole GC regions from one start to the next).
# 2. SIGTERM -> exit: on a server idle after the window (target <= Delay + 250 ms), and with one request
#    in flight that outlasts the window (target <= Delay + that request + 250 ms).
# 3. The middleware alone (BenchmarkDotNet, bench/library/MiddlewareOverhead): ns and bytes allocated per
#    request with and without UseLameduck(); MICRO=0 skips it.
# Results: a table on stdout and artifacts/bench-library/results.md. Loopback traffic only, bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

PAIRS=${PAIRS:-3}            # service processes started per mode (JIT outcomes differ from one start to the next)
ROUNDS=${ROUNDS:-4}          # alternating wrk runs per mode and pair
EXIT_ROUNDS=${EXIT_ROUNDS:-5}
DURATION=${DURATION:-8s}
WARMUP=${WARMUP:-10s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-16}
DELAY_S=${DELAY_S:-5}          # Lameduck's default Delay
INFLIGHT_MS=${INFLIGHT_MS:-7000}
MICRO=${MICRO:-1}
MEM_PAIRS=${MEM_PAIRS:-8}      # fresh process pairs for the working-set figure
MEM_WARMUP=${MEM_WARMUP:-3s}
MEM_DURATION=${MEM_DURATION:-8s}
# Pin the server and wrk to different cores so they do not trade places (PIN=0 to turn off).
PIN=${PIN:-1}
server_cpu=(); client_cpu=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  server_cpu=(taskset -c 1); client_cpu=(taskset -c 0)
fi

out="$root/artifacts/bench-library"
mkdir -p "$out"
dll="$root/samples/HelloService/bin/Release/net10.0/HelloService.dll"

echo "== build HelloService (Release)"
dotnet build samples/HelloService -c Release -nologo -v:q -clp:NoSummary >/dev/null

pids=()
cleanup() { for p in "${pids[@]:-}"; do kill -KILL "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
trap 'echo "interrupted: partial results are in $out" >&2; exit 130' INT TERM

# start_service MODE LOGFILE -> sets $pid and $url
start_service() {
  local mode=$1 log=$2
  : >"$log" # truncate here: the child's own redirect may come after the first read below
  "${server_cpu[@]}" dotnet "$dll" --urls http://127.0.0.1:0 --graceful "$mode" >"$log" 2>&1 &
  pid=$!
  pids+=("$pid")
  url=""
  for _ in $(seq 600); do
    url=$(sed -n 's/.*Now listening on: \(http:[^ ]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || { echo "HelloService --graceful $mode exited at start:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.05
  done
  [ -n "$url" ] || { echo "HelloService did not start listening" >&2; exit 1; }
}

# utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat; the name field has no spaces here).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

stop_service() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# wrk's latency figures come as 812.00us, 1.23ms or 1.02s: print milliseconds.
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v } else if (v ~ /s$/) { sub(/s$/,"",v); print v*1000 } else print v }'; }
median() { sort -g | awk '{ a[NR]=$1 } END { if (NR==0) { print "nan"; exit } if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }

echo "== serving: $PAIRS process pairs x $ROUNDS rounds of wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, modes alternating (ABBA)"
: >"$out/serving.tsv"
for pair in $(seq "$PAIRS"); do
  # Both services live for the whole pair, so every round measures JIT-settled code and the two modes
  # alternate within seconds of each other: slow drifts of the machine hit both alike.
  start_service false "$out/service-false.log"; pid_false=$pid; url_false=$url
  start_service true "$out/service-true.log"; pid_true=$pid; url_true=$url
  for mode in false true; do
    eval "u=\$url_$mode"
    "${client_cpu[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$u/" >/dev/null
  done
  for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order="false true"; else order="true false"; fi
    for mode in $order; do
      eval "p=\$pid_$mode; u=\$url_$mode"
      raw="$out/wrk-$mode-$pair-$round.txt"
      cpu0=$(cpu_ticks "$p")
      "${client_cpu[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$u/" >"$raw"
      cpu1=$(cpu_ticks "$p")
      rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$p/status")
      requests=$(awk '/requests in/ { print $1 }' "$raw")
      # Server CPU time per request (user + system).
      cpu_us=$(awk -v t="$((cpu1 - cpu0))" -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
      rps=$(awk '/^Requests\/sec/ { print $2 }' "$raw")
      p99=$(awk '$1 == "99%" { print $2 }' "$raw" | to_ms)
      errors=$(awk '/Socket errors|Non-2xx/ { print }' "$raw" | tr '\n' ' ')
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pair.$round" "$mode" "$rps" "$p99" "$rss_kb" "$cpu_us" "$errors" | tee -a "$out/serving.tsv"
    done
  done
  for mode in false true; do
    eval "p=\$pid_$mode"
    stop_service "$p"
  done
done

# Median of column $3 for mode $2 in table $1; per-key differences (with - without) of column $2 in table $1.
column() { awk -F'\t' -v m="$2" -v c="$3" '$2 == m { print $c }' "$1" | median; }
differences() { awk -F'\t' -v c="$2" '$2 == "false" { b[$1] = $c } $2 == "true" { l[$1] = $c } END { for (k in b) if (k in l) print l[k] - b[k] }' "$1"; }
col() { column "$out/serving.tsv" "$@"; }
# Paired ratio of column $1 (with / without) for each round: the two runs of a round are seconds apart.
paired() { awk -F'\t' -v c="$1" '$2 == "false" { b[$1] = $c } $2 == "true" { l[$1] = $c } END { for (k in b) if (k in l) print l[k] / b[k] }' "$out/serving.tsv"; }
base_rps=$(col false 3); ld_rps=$(col true 3)
base_p99=$(col false 4); ld_p99=$(col true 4)
base_cpu=$(col false 6); ld_cpu=$(col true 6)
# Working set right after each run; the difference is the median of the per-round paired differences (KB), as
# the garbage-collected heap of either process moves by more than the difference from one run to the next.
base_rss=$(col false 5); ld_rss=$(col true 5)
rss_diff=$(differences "$out/serving.tsv" 5 | median)
rps_ratio=$(paired 3 | median); rps_lo=$(paired 3 | sort -g | head -n 1); rps_hi=$(paired 3 | sort -g | tail -n 1)
p99_ratio=$(paired 4 | median); p99_lo=$(paired 4 | sort -g | head -n 1); p99_hi=$(paired 4 | sort -g | tail -n 1)
cpu_ratio=$(paired 6 | median)

# Working set. One process's heap differs from the next one's by a whole GC region (about 5 MB of RssAnon) now and then, in either mode
# (measured: +1.1 MB in one pair of processes, -3.7 MB in the next, same build), far more than the 1 MB target; so the
# figure is the median over many fresh pairs, each process sampled in the middle of its own load. The sample splits
# VmRSS into the heap and other anonymous memory (RssAnon), mapped files such as assemblies (RssFile) and JIT-compiled
# code, which the runtime maps twice through a memfd (RssShmem).
echo "== working set: $MEM_PAIRS fresh process pairs, sampled every 0.25 s in the last 5 s of a ${MEM_DURATION} wrk run each"
: >"$out/memory.tsv"
rss_fields() { awk '/^(VmRSS|RssAnon|RssFile|RssShmem):/ { printf "%s ", $2 }' "/proc/$1/status"; }
for pair in $(seq "$MEM_PAIRS"); do
  start_service false "$out/memory-false.log"; pid_false=$pid; url_false=$url
  start_service true "$out/memory-true.log"; pid_true=$pid; url_true=$url
  if [ $((pair % 2)) = 1 ]; then order="false true"; else order="true false"; fi
  for mode in $order; do
    eval "u=\$url_$mode"
    "${client_cpu[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$MEM_WARMUP" "$u/" >/dev/null
  done
  for mode in $order; do
    eval "p=\$pid_$mode; u=\$url_$mode"
    "${client_cpu[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$MEM_DURATION" "$u/" >/dev/null & load=$!
    sleep "$(awk -v d="${MEM_DURATION%s}" 'BEGIN { print (d > 5 ? d - 5 : 0) }')"
    : >"$out/memory-samples.txt"
    while kill -0 "$load" 2>/dev/null; do rss_fields "$p" >>"$out/memory-samples.txt"; echo >>"$out/memory-samples.txt"; sleep 0.25; done
    wait "$load"
    # Per field, the median of the samples: VmRSS RssAnon RssFile RssShmem (KB).
    medians=$(for f in 1 2 3 4; do awk -v f="$f" 'NF >= 4 { print $f }' "$out/memory-samples.txt" | median; done | tr '\n' '\t')
    printf '%s\t%s\t%s\n' "$pair" "$mode" "${medians%$'\t'}" | tee -a "$out/memory.tsv"
  done
  for mode in false true; do eval "p=\$pid_$mode"; stop_service "$p"; done
done
# Median over pairs of the paired difference (with - without) of column $1 (3 VmRSS, 4 RssAnon, 5 RssFile, 6 RssShmem), KB.
mem_diff() { differences "$out/memory.tsv" "$1" | median; }
mem_diffs() { differences "$out/memory.tsv" "$1" | awk '{ printf "%+.2f ", $1 / 1024 }'; }
mem_col() { column "$out/memory.tsv" "$@"; }

echo "== SIGTERM -> exit (Delay ${DELAY_S}s): idle, and with one ?sleep=$INFLIGHT_MS request in flight"
: >"$out/exit.tsv"
for round in $(seq "$EXIT_ROUNDS"); do
  for mode in false true; do
    for case in idle inflight; do
      start_service "$mode" "$out/exit-$mode.log"
      curl -fsS "$url/" >/dev/null
      if [ "$case" = inflight ]; then
        curl -sS -o /dev/null "$url/?sleep=$INFLIGHT_MS" & client=$!
        # Wait until the request is really in flight (graceful mode's readiness says so); the baseline has no such probe.
        if [ "$mode" = true ]; then
          for _ in $(seq 200); do curl -s "$url/healthz/ready" | grep -q ", 1 in flight" && break; sleep 0.02; done
        else
          sleep 0.5
        fi
      fi
      t0=$(date +%s%N)
      stop_service "$pid"
      t1=$(date +%s%N)
      [ "$case" = inflight ] && wait "$client" 2>/dev/null || true
      printf '%s\t%s\t%s\t%s\n' "$round" "$mode" "$case" "$(( (t1 - t0) / 1000000 ))" | tee -a "$out/exit.tsv"
    done
  done
done
exit_ms() { awk -F'\t' -v m="$1" -v c="$2" '$2 == m && $3 == c { print $4 }' "$out/exit.tsv" | median; }
exit_max() { awk -F'\t' -v m="$1" -v c="$2" '$2 == m && $3 == c { print $4 }' "$out/exit.tsv" | sort -g | tail -n 1; }

{
  echo "HelloService with Lameduck (--graceful true) vs ASP.NET Core out of the box (--graceful false), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "Serving (wrk -t$THREADS -c$CONNECTIONS -d$DURATION; $PAIRS process pairs x $ROUNDS rounds, modes alternating ABBA after a $WARMUP warm-up each${server_cpu:+; server pinned to cpu 1 and wrk to cpu 0}):"
  echo
  echo "Per-round throughput (req/s): without $(awk -F'\t' '$2 == "false" { printf "%.0f ", $3 }' "$out/serving.tsv")/ with $(awk -F'\t' '$2 == "true" { printf "%.0f ", $3 }' "$out/serving.tsv")"
  echo
  echo "Ratios are the median of the per-round paired ratios (with / without, the two runs of a round seconds apart), range in brackets."
  echo
  echo "| figure | without Lameduck (median) | with Lameduck (median) | paired ratio / difference | target |"
  echo "|---|---|---|---|---|"
  awk -v b="$base_rps" -v l="$ld_rps" -v r="$rps_ratio" -v lo="$rps_lo" -v hi="$rps_hi" 'BEGIN { printf "| throughput (req/s) | %.0f | %.0f | %.3fx [%.3f-%.3f] | >= 0.98x %s |\n", b, l, r, lo, hi, (r >= 0.98 ? "met" : "MISSED") }'
  awk -v b="$base_p99" -v l="$ld_p99" -v r="$p99_ratio" -v lo="$p99_lo" -v hi="$p99_hi" 'BEGIN { printf "| p99 latency (ms) | %.2f | %.2f | %+.1f %% [%+.1f %% to %+.1f %%] | within 5 %% %s |\n", b, l, (r-1)*100, (lo-1)*100, (hi-1)*100, ((r-1)*100 <= 5 ? "met" : "MISSED") }'
  awk -v b="$base_cpu" -v l="$ld_cpu" -v r="$cpu_ratio" 'BEGIN { printf "| server CPU per request (us) | %.2f | %.2f | %+.1f %% | (user + system time of the server process) |\n", b, l, (r-1)*100 }'
  awk -v b="$base_rss" -v l="$ld_rss" -v d="$rss_diff" 'BEGIN { printf "| working set after each run (MB; the same processes every round) | %.1f | %.1f | %+.2f MB | (see below) |\n", b/1024, l/1024, d/1024 }'
  echo
  echo "Working set ($MEM_PAIRS fresh process pairs; per process the median of samples in the last 5 s of a ${MEM_DURATION} wrk run, after a ${MEM_WARMUP} warm-up; the difference is the median of the per-pair differences):"
  echo
  echo "| figure | without Lameduck (median) | with Lameduck (median) | paired difference (per pair) | target |"
  echo "|---|---|---|---|---|"
  awk -v b="$(mem_col false 3)" -v l="$(mem_col true 3)" -v d="$(mem_diff 3)" -v all="$(mem_diffs 3)" 'BEGIN { printf "| working set, VmRSS (MB) | %.1f | %.1f | %+.2f MB (%s) | within 1 MB %s |\n", b/1024, l/1024, d/1024, all, (d/1024 <= 1 ? "met" : "MISSED") }'
  for f in "4 heap and other anonymous memory, RssAnon" "5 mapped files, RssFile" "6 JIT-compiled code, RssShmem"; do
    c=${f%% *}; name=${f#* }
    awk -v n="$name" -v b="$(mem_col false "$c")" -v l="$(mem_col true "$c")" -v d="$(mem_diff "$c")" -v all="$(mem_diffs "$c")" 'BEGIN { printf "| %s (MB) | %.1f | %.1f | %+.2f MB (%s) | |\n", n, b/1024, l/1024, d/1024, all }'
  done
  echo
  echo "SIGTERM -> exit (median / max of $EXIT_ROUNDS rounds, ms):"
  echo
  echo "| case | without Lameduck | with Lameduck (Delay ${DELAY_S} s) | target for Lameduck |"
  echo "|---|---|---|---|"
  awk -v b="$(exit_ms false idle)" -v bm="$(exit_max false idle)" -v l="$(exit_ms true idle)" -v lm="$(exit_max true idle)" -v d="$DELAY_S" \
    'BEGIN { t = d*1000 + 250; printf "| idle after the window | %d / %d | %d / %d | <= %d: median %s, max %s |\n", b, bm, l, lm, t, (l <= t ? "met" : "MISSED"), (lm <= t ? "met" : "MISSED") }'
  awk -v b="$(exit_ms false inflight)" -v bm="$(exit_max false inflight)" -v l="$(exit_ms true inflight)" -v lm="$(exit_max true inflight)" -v d="$DELAY_S" -v f="$INFLIGHT_MS" \
    'BEGIN { t = d*1000 + f + 250; printf "| one %d ms request in flight | %d / %d | %d / %d | <= %d: median %s, max %s |\n", f, b, bm, l, lm, t, (l <= t ? "met" : "MISSED"), (lm <= t ? "met" : "MISSED") }'
} | tee "$out/results.md"

if [ "$MICRO" = 1 ]; then
  echo "== middleware alone (BenchmarkDotNet ShortRun)"
  (cd "$out" && dotnet run -c Release --project "$root/bench/library/MiddlewareOverhead" -- --filter '*' >"$out/micro.txt" 2>&1)
  { echo; echo "Middleware alone (BenchmarkDotNet, bench/library/MiddlewareOverhead):"; echo; grep -E '^\|' "$out/micro.txt"; } | tee -a "$out/results.md"
fi
