#!/usr/bin/env bash
# A/B of verify's two engines on one nginx, in one run: the epoll HTTP/1.1 engine (the default for http://)
# and the SocketsHttpHandler engine (LAMEDUCK_VERIFY_ENGINE=httpclient; what https and --http2 use). For each
# rate and engine: one open-model run with the benchmark's settings (--max-in-flight 10000, results streamed
# to a file), its send lag and latency p99, and its CPU per request from /usr/bin/time, less the CPU of a
# 1-request run (startup, warm-up, JIT), so the figure is the cost of the requests themselves. Then, per engine,
# the memory of a stall: 10,000 requests in flight at once against a server that accepts and never answers.
# At 20,000 req/s and more the epoll engine polls without sleeping, so its CPU per request there is a whole
# core divided by the rate: read it as "fits in one core", not as the cost of a request.
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
# A server that reads and never answers (file limit raised to the hard limit: it holds 10,000 connections).
(ulimit -n "$(ulimit -Hn)"; exec python3 -c '
import asyncio
async def hang(reader, writer):
    try:
        while await reader.read(65536):  # never answers; returns when the client closes
            pass
    except ConnectionError:
        pass
    writer.close()
async def main():
    server = await asyncio.start_server(hang, "127.0.0.1", 0, backlog=16384)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()
asyncio.run(main())' > "$work/hang.port" 2>/dev/null) &
hang_pid=$!
trap 'kill "$hang_pid" 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 50); do [ -s "$work/hang.port" ] && break; sleep 0.1; done
hang_url="http://127.0.0.1:$(cat "$work/hang.port")/"
printf '\nengine\tstall: 10,000 in flight for 3 s, peak_rss_mb\ttimeouts\tcpu_s\n'
for engine in epoll httpclient; do
  LAMEDUCK_VERIFY_ENGINE=$engine /usr/bin/time -f '%M %U %S' -o "$work/time.txt" "${lameduck[@]}" verify "$hang_url" \
    --rate 10000 --duration 1s --timeout 3s --max-in-flight 10000 --output json --max-errors 1000000000 \
    2>/dev/null > "$work/stall.json" || true
  read -r rss_kb user_s sys_s < "$work/time.txt"
  printf '%s\t%s\t%s\t%s\n' "$engine" "$((rss_kb / 1024))" "$(jq -r '.error_set.timeout' "$work/stall.json")" \
    "$(awk -v u="$user_s" -v s="$sys_s" 'BEGIN { print u + s }')"
done
echo "== load average at end $(cut -d' ' -f1-3 /proc/loadavg)" >&2
