#!/usr/bin/env bash
# lameduck-init side by side with tini, dumb-init and catatonit (Debian packages), in one run:
# binary size, RSS while supervising, start -> app exec, signal-forward latency.
# Usage: bash bench/init/run.sh [N]    (N: samples per timing, default 300)
# Uses $LAMEDUCK_INIT_BIN when set, else publishes lameduck-init (NativeAOT) into artifacts/.
# Prints a Markdown section for docs/BENCHMARKS.md. Figures in microseconds unless said otherwise.
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-300}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -z "${LAMEDUCK_INIT_BIN:-}" ]; then
  dotnet publish src/Lameduck.Init -c Release -f net9.0 -r linux-x64 -o artifacts/lameduck-init -nologo -v:q >&2
  LAMEDUCK_INIT_BIN=$PWD/artifacts/lameduck-init/lameduck-init
fi
for tool in tini dumb-init catatonit gcc; do
  command -v "$tool" >/dev/null || { echo "bench/init: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 2; }
done
gcc -O2 -Wall -Werror -o "$work/probe" bench/init/probe.c

# name | command prefix that runs an app under the supervisor (tini needs -s when it is not PID 1)
names=("lameduck-init" "tini" "dumb-init" "catatonit")
prefixes=("$LAMEDUCK_INIT_BIN --delay 0s --" "$(command -v tini) -s --" "$(command -v dumb-init)" "$(command -v catatonit) --")

# RSS while supervising: an app that ignores USR1 (inherited across exec), 20 USR1s forwarded, then
# VmRSS (now) and VmHWM (peak so far) from /proc/PID/status.
rss() {
  local prefix=$1 pid
  $prefix sh -c 'trap "" USR1; exec sleep 30' 2>/dev/null &
  pid=$!
  sleep 0.5
  for _ in $(seq 20); do kill -USR1 "$pid"; sleep 0.01; done
  sleep 0.5
  local now peak apps
  now=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status")
  peak=$(awk '/^VmHWM/{print $2}' "/proc/$pid/status")
  apps=$(cat "/proc/$pid/task/$pid/children")
  kill -KILL "$pid" $apps 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "$now $peak"
}

size_kb() { echo $(( $(stat -L -c %s "$1") / 1024 )); }
linkage() { if file -L "$1" | grep -q 'statically linked'; then echo static; else echo "dynamic (glibc)"; fi; }

echo "## lameduck-init"
echo
echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (the machine was shared with other builds and tests)."
echo "Command: \`bash bench/init/run.sh $n\`. Timings: $n samples each, microseconds."
echo
echo "| supervisor | binary size | linkage | VmRSS supervising | VmHWM | start → app exec p50 / p90 / p99 | signal forward p50 / p90 / p99 | p50s ÷ tini's |"
echo "|---|---|---|---|---|---|---|---|"
floor_exec=$("$work/probe" exec "$n")
floor_fwd=$("$work/probe" forward "$n")
rows=(); e50s=(); f50s=()
for i in "${!names[@]}"; do
  name=${names[$i]}; prefix=${prefixes[$i]}
  bin=${prefix%% *}
  read -r now peak < <(rss "$prefix")
  read -r _ e50 e90 e99 _ _ < <("$work/probe" exec "$n" $prefix 2>/dev/null)
  read -r _ f50 f90 f99 _ _ < <("$work/probe" forward "$n" $prefix 2>/dev/null)
  rows+=("| $name | $(size_kb "$bin") KiB | $(linkage "$bin") | $now KiB | $peak KiB | $e50 / $e90 / $e99 | $f50 / $f90 / $f99 |")
  e50s+=("$e50"); f50s+=("$f50")
done
# tini is names[1]: each supervisor's medians as a ratio of tini's, measured in this same run.
for i in "${!rows[@]}"; do
  echo "${rows[$i]} $(awk -v e="${e50s[$i]}" -v te="${e50s[1]}" -v f="${f50s[$i]}" -v tf="${f50s[1]}" 'BEGIN{printf "exec %.2f×, forward %.2f×", e/te, f/tf}') |"
done
read -r _ e50 e90 e99 _ _ <<<"$floor_exec"
read -r _ f50 f90 f99 _ _ <<<"$floor_fwd"
echo "| (none: app started / signalled directly) | | | | | $e50 / $e90 / $e99 | $f50 / $f90 / $f99 | |"

# The conventional whole-run measure as well: start, exec /bin/true, reap it, exit (hyperfine, no shell).
if command -v hyperfine >/dev/null; then
  echo
  echo "Whole run of \`SUPERVISOR /bin/true\` (start, exec, reap, exit), \`hyperfine -N --warmup 20 --runs 200\`:"
  echo
  hyperfine -N --warmup 20 --runs 200 --style none --export-markdown "$work/hyperfine.md" \
    "/bin/true" "${prefixes[0]} /bin/true" "${prefixes[1]} /bin/true" "${prefixes[2]} /bin/true" "${prefixes[3]} /bin/true" \
    >/dev/null 2>&1 && sed "s|$LAMEDUCK_INIT_BIN|lameduck-init|; s|$(command -v tini)|tini|; s|$(command -v dumb-init)|dumb-init|; s|$(command -v catatonit)|catatonit|" "$work/hyperfine.md"
fi
