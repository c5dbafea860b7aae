#!/usr/bin/env bash
# Where the server's CPU goes with Lameduck: HelloService --graceful true under wrk, sampled with perf
# (software cpu-clock event: works in VMs without hardware counters). Prints the share of the server's
# CPU samples spent in Lameduck's code and in Kestrel's OnStarting/OnCompleted machinery it uses.
#
#   bash bench/library/profile.sh            # needs perf (Debian package linux-perf) and wrk
#
# A sampling profile is far less sensitive to other work on the machine than a throughput ratio: the
# share of samples in a function stays put when the whole machine slows down. JIT-compiled frames are
# named through the runtime's perf map (DOTNET_PerfMapEnabled=1; W^X off so JIT code is not in a memfd).
# Code the JIT inlined into a caller counts for the caller. Loopback only, bounded by the wrk runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
command -v perf >/dev/null || { echo "perf not found: apt-get install linux-perf" >&2; exit 2; }
WARMUP=${WARMUP:-15s}
SAMPLE_S=${SAMPLE_S:-8}
out="$root/artifacts/bench-library"
mkdir -p "$out"
dll="$root/samples/HelloService/bin/Release/net10.0/HelloService.dll"
dotnet build samples/HelloService -c Release -nologo -v:q -clp:NoSummary >/dev/null

log="$out/profile-service.log"
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 taskset -c 1 dotnet "$dll" --urls http://127.0.0.1:0 --graceful true >"$log" 2>&1 &
pid=$!
trap 'kill -KILL "$pid" 2>/dev/null || true; rm -f "/tmp/perf-$pid.map"' EXIT
url=""
for _ in $(seq 600); do
  url=$(sed -n 's/.*Now listening on: \(http:[^ ]*\).*/\1/p' "$log" | head -n 1)
  [ -n "$url" ] && break
  sleep 0.05
done
[ -n "$url" ] || { echo "HelloService did not start" >&2; cat "$log" >&2; exit 1; }

taskset -c 0 wrk -t1 -c16 -d"$WARMUP" "$url/" >/dev/null
taskset -c 0 wrk -t1 -c16 -d"$((SAMPLE_S + 2))s" "$url/" >"$out/profile-wrk.txt" &
wrk_pid=$!
sleep 1
perf record -q -e cpu-clock -F 4999 -p "$pid" -o "$out/profile.data" -- sleep "$SAMPLE_S" 2>/dev/null
wait "$wrk_pid"
perf report -i "$out/profile.data" --no-children --sort dso,symbol --stdio 2>/dev/null | grep '%' | grep -v '^#' >"$out/profile.txt"
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true

share() { grep -E "$1" "$out/profile.txt" | awk '{ gsub(/%/, "", $1); s += $1 } END { printf "%.2f", s }'; }
samples=$(perf report -i "$out/profile.data" --stdio 2>/dev/null | sed -n 's/^# Samples: \([0-9]*[0-9kKM]*\).*/\1/p' | head -n 1)
{
  echo "HelloService --graceful true under wrk -t1 -c16 ($(awk '/^Requests\/sec/ { print $2 }' "$out/profile-wrk.txt") req/s), perf cpu-clock ${SAMPLE_S}s at 4999 Hz, $samples samples, $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| code | share of the server's CPU samples |"
  echo "|---|---|"
  echo "| Lameduck (middleware, state, callbacks) | $(share '\[Lameduck') % |"
  echo "| Kestrel firing OnStarting callbacks (FireOnStarting) | $(share 'FireOnStarting') % |"
  echo "| all JIT-compiled .NET code | $(share '\[JIT\]') % |"
  echo "| kernel | $(share 'kernel.kallsyms') % |"
} | tee "$out/profile.md"
