#!/usr/bin/env bash
# Bounded soak (not part of CI): the standalone host (Release build, Development secret store, its own in-memory
# Azurite) under CLIENTS parallel clients doing the full connector cycle for SECONDS seconds (scripts/soak-client.mjs).
# Prints requests, errors, and the app's memory (VmRSS) and open file handles after warm-up and at the end.
#   usage: flock -o /tmp/fractal-heavy.lock scripts/soak.sh [SECONDS=600] [CLIENTS=8]
# App settings in the environment pass through, e.g. OAuth__AccessTokenMinutes=2 to reach the steady state of the
# seen-token cache (tokens minted per minute × token lifetime) inside a 10-minute run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"; clients="${2:-8}"
work="$(mktemp -d)"; azurite_port=10112; app_port=7181; url="http://127.0.0.1:$app_port"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT INT TERM

dotnet build Fractal.Functions -c Release -v quiet -nologo >/dev/null
node_modules/.bin/azurite-table --tableHost 127.0.0.1 --tablePort "$azurite_port" --inMemoryPersistence --disableTelemetry --silent &
pids+=($!)
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/$azurite_port) 2>/dev/null && break; sleep 0.2; done

key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="  # Azurite's published dev key
export Storage__ConnectionString="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;TableEndpoint=http://127.0.0.1:$azurite_port/devstoreaccount1;"
export Secrets__Provider=Development Secrets__DevelopmentFilePath="$work/dev-secrets.json" Fractal__PublicBaseUrl="$url"
# Every client comes from one loopback address: lift the per-IP limits (the per-grant limit stays at its default).
export RateLimits__SignInPerIpPerMinute=1000000 RateLimits__AuthorizePerIpPerMinute=1000000 RateLimits__TokenPerIpPerMinute=1000000
# The soak measures the connector cycle, not the limits (RateLimitTests do): every limit is lifted.
export RateLimits__TokenPerConsumerPerMinute=1000000 RateLimits__ToolCallsPerGrantPerMinute=1000000 Logging__LogLevel__Default=Warning
dotnet Fractal.Functions/bin/Release/net10.0/Fractal.Functions.dll --standalone --environment Development --urls "$url" \
  --seed-demo --demo-credentials "$work/demo.json" >"$work/app.log" 2>&1 &
app_pid=$!; pids+=($app_pid)
for _ in $(seq 1 150); do curl -fs "$url/health" >/dev/null 2>&1 && [ -f "$work/demo.json" ] && break; sleep 0.2; done

figures() { echo "rss_kb=$(awk '/VmRSS/{print $2}' /proc/$app_pid/status) handles=$(ls /proc/$app_pid/fd | wc -l)"; }
# Warm-up: one short round so JIT, caches and pools exist before the start figures are taken.
node scripts/soak-client.mjs "$url" "$work/demo.json" "$clients" 20 >/dev/null
echo "start: $(figures)"
started=$(date -u +%FT%TZ)
# The figures once a minute, so a plateau (or a leak) shows as a series, not two points.
( minute=0; while sleep 60; do minute=$((minute + 1)); echo "minute $minute: $(figures)"; done ) &
pids+=($!)
node scripts/soak-client.mjs "$url" "$work/demo.json" "$clients" "$seconds" | tee "$work/result.json"
echo "end:   $(figures)"
echo "window: $started .. $(date -u +%FT%TZ), clients=$clients, seconds=$seconds"
echo "app log lines at warning or worse: $(grep -c -E 'warn:|fail:|crit:' "$work/app.log" || true) (log kept at /tmp/fractal-soak-app.log)"
cp "$work/app.log" /tmp/fractal-soak-app.log
