#!/usr/bin/env bash
# Runs the benchmarks of issue 13 (docs/performance.md) and prints Markdown tables of medians, spreads and
# ratios against baselines measured in the same command. Benchmarks are not tests and do not run in CI.
#   ./bench.sh                 all cases except `steady`, `steady-in-process` and `profile`
#   ./bench.sh mcp token       chosen cases: mcp auth server roundtrips token startup kpi steady steady-in-process profile
# Each case starts its own in-memory Azurite and the app (in the benchmark process, or as a separate
# `--standalone` process for startup and steady) and holds the machine's shared lock while it runs.
# Results are appended to bench-results/<UTC date>.md.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# -o: the lock fd is not passed to the command, so a child it leaves behind (Azurite) cannot hold the lock.
lock=/tmp/fractal-heavy.lock

if [ ! -x node_modules/.bin/azurite-table ] || ! cmp -s package-lock.json node_modules/.fractal-installed-lock; then
  flock -o "$lock" npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.fractal-installed-lock
fi
# wrk (Debian's package) drives the HTTP load: light on a 2-core machine.
if ! command -v wrk >/dev/null; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >/dev/null
fi

cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(roundtrips auth server mcp token startup kpi)

flock -o "$lock" dotnet build Fractal.Benchmarks -c Release -nologo -v quiet
bench=Fractal.Benchmarks/bin/Release/net10.0/Fractal.Benchmarks.dll

mkdir -p bench-results
results="bench-results/$(date -u +%Y-%m-%dT%H%MZ).md"
{
  echo "## Benchmarks $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ {printf "%.0f GB RAM", $2/1048576}' /proc/meminfo); $(dotnet --version | sed 's/^/.NET SDK /'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
} | tee -a "$results"

for case in "${cases[@]}"; do
  if [ "$case" = startup ] && [ -z "${FRACTAL_BENCH_NO_R2R:-}" ]; then
    # The ReadyToRun variant of the start-up case: a framework-dependent publish with R2R code.
    r2r=.bench/r2r
    if flock -o "$lock" dotnet publish Fractal.Functions -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$r2r" -nologo -v quiet >/dev/null 2>.bench-r2r.log; then
      export FRACTAL_BENCH_R2R="$PWD/$r2r/Fractal.Functions.dll"
    else
      echo "ReadyToRun publish failed (see .bench-r2r.log); start-up measured for the JIT build only." | tee -a "$results"
    fi
  fi
  echo "Running $case ..."
  # Every run holds the shared lock, and stays under ~6 minutes (steady: 5 minutes of load plus set-up).
  flock -o "$lock" timeout 480 dotnet "$bench" "$case" --results "$results"
done
echo "Results: $results"
