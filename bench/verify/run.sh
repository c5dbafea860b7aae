#!/usr/bin/env bash
# Benchmark of `lameduck verify` against its peers, all in one run, on one nginx:
#   1. closed-loop ceiling: wrk and h2load --h1 (64 connections, one client thread each)
#   2. verify's highest open-model rate with send lag p99 <= 1 ms (and no error, no saturation),
#      stepping up in fractions of wrk's ceiling; the target is >= 0.5x wrk
#   3. verify at 5,000 req/s for 30 s: achieved send rate, from the actual send times in the results file
#   4. verify at 10,000 req/s for 5 min: peak RSS (/usr/bin/time), results streamed to a file, default
#      --max-in-flight (1,000)
# The target is Debian's nginx serving a 12-byte body, started here on a free loopback port with a
# generated config in a temp dir (never the system service), one worker process so that client and
# server each have a core on a 2-core machine; nginx is pinned to the last CPU and wrk, h2load and verify to
# CPU 0 (setup.sh; PIN=0 to leave placement to the kernel).
#
# Usage: bench/verify/run.sh            full run (about 9 minutes)
#        LAMEDUCK_VERIFY_ENGINE=httpclient bench/verify/run.sh   the same with the SocketsHttpHandler engine
#        QUICK=1 bench/verify/run.sh    short durations, to check the script itself
# Needs: nginx-light, wrk, nghttp2-client (scripts/install-deps.sh), jq, GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

quick=${QUICK:-0}
if [ "$quick" = 1 ]; then peer_s=3; step_s=3; rate_s=5; mem_s=10; else peer_s=10; step_s=10; rate_s=30; mem_s=300; fi

work=$(mktemp -d /tmp/lameduck-bench-verify.XXXXXX)
# shellcheck source=bench/verify/setup.sh
source "$root/bench/verify/setup.sh"   # builds a private copy of lameduck, starts nginx: $lameduck, $url, $port

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start" >&2

echo "== peers: closed-loop ceiling for ${peer_s}s each" >&2
wrk_rps=$("${client[@]}" wrk -t1 -c64 -d"${peer_s}s" "$url" | awk '/Requests\/sec/ {print $2}')
h2load_rps=$("${client[@]}" h2load --h1 -t1 -c64 -D "$peer_s" "$url" 2>/dev/null | awk '/^finished in/ {for (i=1;i<=NF;i++) if ($i=="req/s,") print $(i-1)}')
echo "wrk: $wrk_rps req/s   h2load --h1: $h2load_rps req/s" >&2

# One open-model run; prints: rate requests errors saturated send_lag_p99_ms latency_p99_ms achieved_send_rate
verify_run() {
  local rate=$1 seconds=$2 csv="$work/step.csv"
  # --max-in-flight 10000: the rate figures are about throughput; with the default (1,000, sized for memory) a
  # stall of this shared machine shows as saturation before the send lag limit is reached.
  "${lameduck[@]}" verify "$url" --rate "$rate" --duration "${seconds}s" --output json --results "$csv" \
    --max-in-flight 10000 --max-errors 1000000000 2>/dev/null > "$work/step.json" || true
  local achieved
  achieved=$(awk -F, '$1=="req" && $4!="" { n++; if (min=="" || $4<min) min=$4; if ($4>max) max=$4 }
                     END { if (n>1 && max>min) printf "%.1f", (n-1)/((max-min)/1e6); else print 0 }' "$csv")
  jq -r --arg achieved "$achieved" '[.target_rate, .requests, .errors, .saturated, .send_lag_ms.p99, .latency_ms.p99, $achieved] | @tsv' "$work/step.json"
}

echo "== verify: highest open-model rate with send lag p99 <= 1 ms (${step_s}s per step)" >&2
printf 'rate\trequests\terrors\tsaturated\tsend_lag_p99_ms\tlatency_p99_ms\tachieved_send_rate\n' > "$work/steps.tsv"
best=0
# A step passes when one of two attempts has no error, no saturation and send lag p99 <= 1 ms (a second
# attempt because the machine is shared: one stall of another process can fail a 10 s step); every attempt
# is listed in the report. The search stops at the first step that fails both attempts.
for fraction in 0.05 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9 1.0; do
  # Rounded up, so that the 0.5 step is at least half of wrk's ceiling, never a request per second below it.
  rate=$(awk -v w="$wrk_rps" -v f="$fraction" 'BEGIN { r = w * f; printf "%d", (r == int(r)) ? r : int(r) + 1 }')
  ok=0
  for attempt in 1 2; do
    line=$(verify_run "$rate" "$step_s")
    echo "$line" >> "$work/steps.tsv"
    echo "  $line" >&2
    ok=$(echo "$line" | awk -F'\t' '{ print ($3 == 0 && $4 == 0 && $5 <= 1.0) ? 1 : 0 }')
    [ "$ok" = 1 ] && break
  done
  if [ "$ok" = 1 ]; then best=$rate; else break; fi
done
ratio=$(awk -v b="$best" -v w="$wrk_rps" 'BEGIN { printf "%.2f", b / w }')

echo "== verify: 5000 req/s for ${rate_s}s" >&2
rate_line=$(verify_run 5000 "$rate_s")
echo "  $rate_line" >&2
achieved_5k=$(echo "$rate_line" | cut -f7)
deviation=$(awk -v a="$achieved_5k" 'BEGIN { d = (a - 5000) / 5000 * 100; if (d < 0) d = -d; printf "%.2f", d }')

echo "== verify: 10000 req/s for ${mem_s}s, peak RSS" >&2
/usr/bin/time -f '%M %U %S' -o "$work/time.txt" "${lameduck[@]}" verify "$url" --rate 10000 --duration "${mem_s}s" \
  --output json --results "$work/mem.csv" --max-errors 1000000000 2>/dev/null > "$work/mem.json" || true
read -r rss_kb user_s sys_s < "$work/time.txt"
mem_summary=$(jq -r '"requests \(.requests), errors \(.errors), saturated \(.saturated), send lag p99 \(.send_lag_ms.p99) ms"' "$work/mem.json")

cat <<REPORT

## verify results ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average at end $(cut -d' ' -f1-3 /proc/loadavg))
Target: nginx $(nginx -v 2>&1 | sed 's/.*\///'), 1 worker, 12-byte body, $url

| figure | measured | target |
|---|---|---|
| wrk closed-loop ceiling (-t1 -c64, ${peer_s}s) | $wrk_rps req/s | peer |
| h2load --h1 closed-loop ceiling (-t1 -c64, ${peer_s}s) | $h2load_rps req/s | peer |
| verify highest open-model rate with send lag p99 <= 1 ms | $best req/s = ${ratio}x wrk | >= 0.5x wrk |
| verify at 5000 req/s for ${rate_s}s: achieved send rate | $achieved_5k req/s (${deviation} % off) | within 1 % |
| verify at 10000 req/s for ${mem_s}s: peak RSS | $((rss_kb / 1024)) MB (CPU user ${user_s}s, sys ${sys_s}s; $mem_summary) | <= 100 MB |

Steps (rate, requests, errors, saturated, send lag p99 ms, latency p99 ms, achieved send rate):
$(sed 's/^/    /' "$work/steps.tsv")
REPORT
