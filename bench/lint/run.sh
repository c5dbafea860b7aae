#!/usr/bin/env bash
# Lint benchmark: a generated 10,000-object multi-document manifest, linted by `lameduck lint`, against
# YamlDotNet alone parsing the same file (events: the parser loop lint is built on; tree: RepresentationModel),
# in the same hyperfine run. Target: lint <= 2 s and <= 3x the parse-only time.
# Usage: bash bench/lint/run.sh [objects]   (needs hyperfine; results in artifacts/bench-lint/)
set -euo pipefail
cd "$(dirname "$0")/../.."
objects=${1:-10000}
out=artifacts/bench-lint
mkdir -p "$out"

dotnet build src/Lameduck.Cli -c Release -nologo -v:q -clp:NoSummary
dotnet build bench/lint/YamlParseOnly -c Release -o "$out/parse-only" -nologo -v:q -clp:NoSummary
bash bench/lint/generate.sh "$objects" > "$out/objects-$objects.yaml"
echo "input: $out/objects-$objects.yaml, $(wc -c < "$out/objects-$objects.yaml") bytes, $objects objects"

lint="dotnet src/Lameduck.Cli/bin/Release/net10.0/Lameduck.Cli.dll lint $out/objects-$objects.yaml --format json --output /dev/null"
events="dotnet $out/parse-only/YamlParseOnly.dll events $out/objects-$objects.yaml"
tree="dotnet $out/parse-only/YamlParseOnly.dll tree $out/objects-$objects.yaml"

# -i: lint exits 1 because the generated manifest has error-level hazards on purpose.
hyperfine -N -i --warmup 2 --runs 15 \
  -n "lameduck lint" "$lint" \
  -n "YamlDotNet parse (events)" "$events" \
  -n "YamlDotNet parse (RepresentationModel)" "$tree" \
  --export-markdown "$out/results.md" --export-json "$out/results.json"

echo "findings: $(dotnet src/Lameduck.Cli/bin/Release/net10.0/Lameduck.Cli.dll lint "$out/objects-$objects.yaml" --format json | grep -c '"rule"' || true)"
/usr/bin/time -v dotnet src/Lameduck.Cli/bin/Release/net10.0/Lameduck.Cli.dll lint "$out/objects-$objects.yaml" --format json --output /dev/null 2>&1 \
  | grep -E "Maximum resident set size|Elapsed" || true
