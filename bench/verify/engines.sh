#!/usr/bin/env bash
# A/B of verify's two engines on one nginx, in one run: the epoll HTTP/1.1 engine (the default for http://)
# and the SocketsHttpHandler engine (LAMEDUCK_VERIFY_ENGINE=httpclient; what https and --http2 use). For each
# rate and engine: one open-model run with the benchmark's settings (--max-in-flight 10000, results streamed
# to a file), its send lag and latency p99, and its CPU per request from /usr/bin/time, less the CPU of a
# 1-request run (startup, warm-up, JIT), so the figure is the cost of the requests themselves.
#
# Usage: bench/verify/engines.sh                     rates 10000 20000 40000 80000, 5 s each (about 1.5 minutes)
#        RATES="20000 80000" SECONDS_PER_RUN=10 bench/verify/engines.sh
# Needs: nginx-light, jq, GNU time.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
rates=${RATES:-10000 20000 40000 80000}
seconds=${SECONDS_PER_RUN:-5}

work=$(mktemp -d /tmp/lameduck-bench-engines.XXXXXX)
# shellcheck source=bench/verify/setup.sh
source "$root/bench/verify/setup.sh"

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start" >&2

# Prints: cpu_seconds requests errors saturated send_lag_p99_ms latency_p99_ms peak_rss_mb
measure() {
  local engine=$1 rate=$2 duration=$3
  LAMEDUCK_VERIFY_ENGINE=$engine /usr/bin/time -f '%U %S %M' -o "$work/time.txt" "${lameduck[@]}" verify "$url" \
    --rate "$rate" --duration "$duration" --output json --results "$work/run.csv" --max-in-flight 10000 \
    --max-errors 1000000000 2>/dev/null > "$work/run.json" || true
  read -r user_s sys_s rss_kb < "$work/time.txt"
  echo "$(awk -v u="$user_s" -v s="$sys_s" 'BEGIN { print u + s }') $(jq -r '[.requests, .errors, .saturated, .send_lag_ms.p99, .latency_ms.p99] | @tsv' "$work/run.json") $((rss_kb / 1024))"
}

printf 'engine\trate\trequests\terrors\tsaturated\tsend_lag_p99_ms\tlatency_p99_ms\tcpu_us_per_request\tpeak_rss_mb\n'
for engine in epoll httpclient; do
  read -r idle_cpu _ < <(measure "$engine" 1 1s)
  for rate in $rates; do
    read -r cpu requests errors saturated lag p99 rss < <(measure "$engine" "$rate" "${seconds}s")
    per=$(awk -v c="$cpu" -v i="$idle_cpu" -v n="$requests" 'BEGIN { printf "%.1f", (c - i) * 1e6 / n }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$rate" "$requests" "$errors" "$saturated" "$lag" "$p99" "$per" "$rss"
  done
done
echo "== load average at end $(cut -d' ' -f1-3 /proc/loadavg)" >&2
