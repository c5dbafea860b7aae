#!/usr/bin/env bash
# Lameduck library benchmark: HelloService with Lameduck (--graceful true) against the same service
# without it (--graceful false, ASP.NET Core out of the box), measured in the same run, interleaved.
#
#   bash bench/library/run.sh                 # defaults below
#   ROUNDS=5 DURATION=15s bash bench/library/run.sh
#
# 1. Serving normally: wrk throughput, p99 latency, and the server's working set (VmRSS) after the run.
#    Targets: throughput >= 0.98x, p99 within 5 %, working set within 1 MB of the baseline.
# 2. SIGTERM -> exit: on a server idle after the window (target <= Delay + 250 ms), and with one request
#    in flight that outlasts the window (target <= Delay + that request + 250 ms).
# 3. The middleware alone (BenchmarkDotNet, bench/library/MiddlewareOverhead): ns and bytes allocated per
#    request with and without UseLameduck(); MICRO=0 skips it.
# Results: a table on stdout and artifacts/bench-library/results.md. Loopback traffic only, bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-16}
DELAY_S=${DELAY_S:-5}          # Lameduck's default Delay
INFLIGHT_MS=${INFLIGHT_MS:-7000}
MICRO=${MICRO:-1}
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

echo "== serving: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS rounds, modes interleaved"
: >"$out/serving.tsv"
for round in $(seq "$ROUNDS"); do
  for mode in false true; do
    start_service "$mode" "$out/service-$mode.log"
    "${client_cpu[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url/" >/dev/null
    cpu0=$(cpu_ticks "$pid")
    "${client_cpu[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url/" >"$out/wrk-$mode-$round.txt"
    cpu1=$(cpu_ticks "$pid")
    rss_kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
    requests=$(awk '/requests in/ { print $1 }' "$out/wrk-$mode-$round.txt")
    # Server CPU time per request (user + system): far less sensitive than req/s to other work on the machine.
    cpu_us=$(awk -v t="$((cpu1 - cpu0))" -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
    stop_service "$pid"
    rps=$(awk '/^Requests\/sec/ { print $2 }' "$out/wrk-$mode-$round.txt")
    p99=$(awk '$1 == "99%" { print $2 }' "$out/wrk-$mode-$round.txt" | to_ms)
    errors=$(awk '/Socket errors|Non-2xx/ { print }' "$out/wrk-$mode-$round.txt" | tr '\n' ' ')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$mode" "$rps" "$p99" "$rss_kb" "$cpu_us" "$errors" | tee -a "$out/serving.tsv"
  done
done

col() { awk -F'\t' -v m="$1" -v c="$2" '$2 == m { print $c }' "$out/serving.tsv" | median; }
base_rps=$(col false 3); ld_rps=$(col true 3)
base_p99=$(col false 4); ld_p99=$(col true 4)
base_rss=$(col false 5); ld_rss=$(col true 5)
base_cpu=$(col false 6); ld_cpu=$(col true 6)

echo "== SIGTERM -> exit (Delay ${DELAY_S}s): idle, and with one ?sleep=$INFLIGHT_MS request in flight"
: >"$out/exit.tsv"
for round in $(seq "$ROUNDS"); do
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
  echo "Serving (wrk -t$THREADS -c$CONNECTIONS -d$DURATION, median of $ROUNDS interleaved rounds${server_cpu:+, server pinned to cpu 1 and wrk to cpu 0}):"
  echo
  echo "Per-round throughput (req/s), to show the noise: without $(awk -F'\t' '$2 == "false" { printf "%.0f ", $3 }' "$out/serving.tsv")/ with $(awk -F'\t' '$2 == "true" { printf "%.0f ", $3 }' "$out/serving.tsv")"
  echo
  echo "| figure | without Lameduck | with Lameduck | ratio / difference | target |"
  echo "|---|---|---|---|---|"
  awk -v b="$base_rps" -v l="$ld_rps" 'BEGIN { printf "| throughput (req/s) | %.0f | %.0f | %.3fx | >= 0.98x %s |\n", b, l, l/b, (l/b >= 0.98 ? "met" : "MISSED") }'
  awk -v b="$base_p99" -v l="$ld_p99" 'BEGIN { printf "| p99 latency (ms) | %.2f | %.2f | %+.1f %% | within 5 %% %s |\n", b, l, (l/b-1)*100, ((l/b-1)*100 <= 5 ? "met" : "MISSED") }'
  awk -v b="$base_cpu" -v l="$ld_cpu" 'BEGIN { printf "| server CPU per request (us) | %.2f | %.2f | %+.1f %% | (the contention-robust view of throughput) |\n", b, l, (l/b-1)*100 }'
  awk -v b="$base_rss" -v l="$ld_rss" 'BEGIN { printf "| working set after the run (MB) | %.1f | %.1f | %+.2f MB | within 1 MB %s |\n", b/1024, l/1024, (l-b)/1024, ((l-b)/1024 <= 1 ? "met" : "MISSED") }'
  echo
  echo "SIGTERM -> exit (median / max of $ROUNDS rounds, ms):"
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
