#!/usr/bin/env bash
# The cost of lameduck-init's read of its --drain-port: sock_diag (now) against the /proc/net/tcp reader it
# replaced, with 10, 1,000 and 10,000 open connections on the port, in one run (bench/init/DrainPoll).
# Usage: bash bench/init/drain.sh [SIZES] [WINDOW_SECONDS]     (default 10,1000,10000 and 10)
# Uses $LAMEDUCK_INIT_BIN when set, else publishes lameduck-init; the baseline binary is $BASELINE_INIT_BIN, else
# published from commit e5abec3 (the last one with the /proc/net/tcp reader) into artifacts/bench-init-drain/.
# Prints a Markdown section for docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=${1:-10,1000,10000}
window=${2:-10}
out=artifacts/bench-init-drain
mkdir -p "$out"

if [ -z "${LAMEDUCK_INIT_BIN:-}" ]; then
  dotnet publish src/Lameduck.Init -c Release -f net9.0 -r linux-x64 -o artifacts/lameduck-init -nologo -v:q >&2
  LAMEDUCK_INIT_BIN=$PWD/artifacts/lameduck-init/lameduck-init
fi
if [ -z "${BASELINE_INIT_BIN:-}" ]; then
  base=$(mktemp -d)
  trap 'rm -rf "$base"' EXIT
  git archive e5abec3 src/Lameduck.Init src/Shared Directory.Build.props global.json | tar -x -C "$base"
  dotnet publish "$base/src/Lameduck.Init" -c Release -f net9.0 -r linux-x64 -o "$out/baseline" -nologo -v:q >&2
  BASELINE_INIT_BIN=$PWD/$out/baseline/lameduck-init
fi
dotnet build bench/init/DrainPoll -c Release -o "$out/harness" -nologo -v:q -clp:NoSummary >&2

echo "## lameduck-init: reading the drain port"
echo
echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, kernel $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Command: \`bash bench/init/drain.sh $sizes $window\`. lameduck-init $(stat -c %s "$LAMEDUCK_INIT_BIN") bytes; the baseline $(stat -c %s "$BASELINE_INIT_BIN") bytes."
echo
dotnet "$out/harness/DrainPoll.dll" "$LAMEDUCK_INIT_BIN" "$BASELINE_INIT_BIN" --sizes "$sizes" --window "$window"
