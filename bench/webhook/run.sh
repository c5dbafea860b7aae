#!/usr/bin/env bash
# lameduck webhook benchmark: admission latency and throughput of the webhook (the full mutation of a
# two-container nginx + php-fpm pod, bench/webhook/review.json) against a floor, in one run: a plain Kestrel
# endpoint with the same TLS and runtime settings that answers allowed: true unchanged (bench/webhook/Floor).
# Both pinned to one core (cpu 1), the load on the other (cpu 0), one server loaded at a time.
#
#   bash bench/webhook/run.sh                     # defaults below
#   DURATION=30s ROUNDS=3 bash bench/webhook/run.sh
#
# 1. Open model: lameduck verify --http2 at 500 and 2,000 req/s over HTTPS; p99 latency from the scheduled send
#    time, throughput delivered. HTTP/2 because the API server calls webhooks over HTTP/2 (Go's client negotiates
#    h2 by ALPN); and verify's HTTPS HTTP/1.1 path (SocketsHttpHandler) churns connections here (hundreds of
#    "resent on a new connection", saturated at 2,000 req/s against the floor, which wrk drives at 50,000+ req/s).
#    Targets (issue 14): webhook p99 <= 2 ms at 500 req/s, throughput >= 0.8x the floor's.
# 2. Ceiling: wrk -t1 -c16 (closed loop, keep-alive TLS) on each; target: webhook >= 0.8x the floor.
# Results: a table on stdout and artifacts/bench-webhook/results.md. Loopback traffic only, bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
ROUNDS=${ROUNDS:-2}                 # alternating rounds per rate (floor, webhook, webhook, floor, ...)
RATES=${RATES:-"500 2000"}
CEILING=${CEILING:-10s}
CONNECTIONS=${CONNECTIONS:-16}
PIN=${PIN:-1}
server_cpu=(); client_cpu=()
if [ "$PIN" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  server_cpu=(taskset -c 1); client_cpu=(taskset -c 0)
fi

out="$root/artifacts/bench-webhook"
work=$(mktemp -d /tmp/lameduck-bench-webhook.XXXXXX)
mkdir -p "$out"; rm -f "$out"/*.log "$out"/*.err
cli="$root/src/Lameduck.Cli/bin/Release/net10.0/Lameduck.Cli.dll"
floor="$root/bench/webhook/Floor/bin/Release/net10.0/Floor.dll"
review="$root/bench/webhook/review.json"

echo "== build the CLI and the floor (Release)"
dotnet build src/Lameduck.Cli -c Release -nologo -v:q -clp:NoSummary >/dev/null
dotnet build bench/webhook/Floor -c Release -nologo -v:q -clp:NoSummary >/dev/null

pids=()
# Keep the servers' logs and verify's stderr (its error breakdown) next to the results before removing the rest.
cleanup() {
  for p in "${pids[@]:-}"; do kill -KILL "$p" 2>/dev/null || true; done
  cp "$work"/*.log "$work"/*.err "$out"/ 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

echo "== certificates (lameduck webhook certs, for 127.0.0.1)"
dotnet "$cli" webhook certs --service lameduck-webhook --namespace lameduck-system --ip 127.0.0.1 --out "$work/tls" >/dev/null 2>&1

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_ready() { # URL LOG PID
  for _ in $(seq 600); do
    curl -s -o /dev/null --cacert "$work/tls/ca.crt" -X POST --data @"$review" "$1/mutate" && return 0
    kill -0 "$3" 2>/dev/null || { echo "server exited at start:" >&2; cat "$2" >&2; exit 1; }
    sleep 0.1
  done
  echo "server did not start: $1" >&2; cat "$2" >&2; exit 1
}

port=$(free_port)
webhook_url="https://127.0.0.1:$port"
Logging__LogLevel__Default=Warning "${server_cpu[@]}" dotnet "$cli" webhook --listen "$webhook_url" \
  --cert "$work/tls/tls.crt" --key "$work/tls/tls.key" --log-format text >"$work/webhook.log" 2>&1 &
pids+=($!); wait_ready "$webhook_url" "$work/webhook.log" "$!"
port=$(free_port)
floor_url="https://127.0.0.1:$port"
"${server_cpu[@]}" dotnet "$floor" "$floor_url" "$work/tls/tls.crt" "$work/tls/tls.key" >"$work/floor.log" 2>&1 &
pids+=($!); wait_ready "$floor_url" "$work/floor.log" "$!"

# The webhook's answer really is a mutation (and the floor's is not).
curl -s --cacert "$work/tls/ca.crt" -X POST -H 'Content-Type: application/json' --data @"$review" "$webhook_url/mutate" | grep -q '"patchType":"JSONPatch"' \
  || { echo "the webhook did not answer with a patch" >&2; exit 1; }

# verify NAME URL RATE DURATION -> prints "p99_ms throughput errors" (SSL_CERT_FILE: trust the private CA)
verify() {
  SSL_CERT_FILE="$work/tls/ca.crt" "${client_cpu[@]}" dotnet "$cli" verify "$2/mutate" --http2 --method POST --body "@$review" \
    -H 'Content-Type: application/json' --rate "$3" --duration "$4" --output json 2>"$work/verify-$1.err" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["latency_ms"]["p99"], r["throughput"], r["errors"])'
}

echo "== warm-up: $WARMUP at 1,000 req/s each"
verify floor "$floor_url" 1000 "$WARMUP" >/dev/null
verify webhook "$webhook_url" 1000 "$WARMUP" >/dev/null

: >"$out/open-model.tsv"
for rate in $RATES; do
  for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order="floor webhook"; else order="webhook floor"; fi
    for name in $order; do
      if [ "$name" = floor ]; then url=$floor_url; else url=$webhook_url; fi
      read -r p99 thr err < <(verify "$name" "$url" "$rate" "$DURATION")
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$rate" "$round" "$name" "$p99" "$thr" "$err" | tee -a "$out/open-model.tsv"
    done
  done
done

echo "== ceiling: wrk -t1 -c$CONNECTIONS -d$CEILING (closed loop, keep-alive TLS)"
: >"$out/ceiling.tsv"
for name in floor webhook webhook floor; do
  if [ "$name" = floor ]; then url=$floor_url; else url=$webhook_url; fi
  rps=$(REVIEW="$review" "${client_cpu[@]}" wrk -t1 -c"$CONNECTIONS" -d"$CEILING" -s "$root/bench/webhook/post.lua" "$url/mutate" \
    | awk '/^Requests\/sec:/ { print $2 }')
  printf '%s\t%s\n' "$name" "$rps" | tee -a "$out/ceiling.tsv"
done

median() { sort -g | awk '{ a[NR]=$1 } END { if (NR==0) { print "nan"; exit } if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2 }'; }
{
  echo "| figure | floor | webhook | ratio | target |"
  echo "|---|---|---|---|---|"
  for rate in $RATES; do
    f=$(awk -F'\t' -v r="$rate" '$1==r && $3=="floor" { print $4 }' "$out/open-model.tsv" | median)
    w=$(awk -F'\t' -v r="$rate" '$1==r && $3=="webhook" { print $4 }' "$out/open-model.tsv" | median)
    errs=$(awk -F'\t' -v r="$rate" '$1==r { s+=$6 } END { print s+0 }' "$out/open-model.tsv")
    target=$([ "$rate" = 500 ] && echo "webhook <= 2 ms" || echo "-")
    printf '| p99 at %s req/s, ms (median of %s rounds; %s errors) | %s | %s | %s | %s |\n' "$rate" "$ROUNDS" "$errs" "$f" "$w" \
      "$(awk -v a="$w" -v b="$f" 'BEGIN { printf "%.2fx", a/b }')" "$target"
    ft=$(awk -F'\t' -v r="$rate" '$1==r && $3=="floor" { print $5 }' "$out/open-model.tsv" | median)
    wt=$(awk -F'\t' -v r="$rate" '$1==r && $3=="webhook" { print $5 }' "$out/open-model.tsv" | median)
    printf '| throughput at %s req/s | %s | %s | %s | >= 0.8x |\n' "$rate" "$ft" "$wt" "$(awk -v a="$wt" -v b="$ft" 'BEGIN { printf "%.2fx", a/b }')"
  done
  f=$(awk -F'\t' '$1=="floor" { print $2 }' "$out/ceiling.tsv" | median)
  w=$(awk -F'\t' '$1=="webhook" { print $2 }' "$out/ceiling.tsv" | median)
  printf '| ceiling, req/s (wrk -t1 -c%s, median of 2) | %s | %s | %s | - |\n' "$CONNECTIONS" "$f" "$w" "$(awk -v a="$w" -v b="$f" 'BEGIN { printf "%.2fx", a/b }')"
} | tee "$out/results.md"
