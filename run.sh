#!/usr/bin/env bash
# Starts Fractal One's MCP/OAuth app locally: Azurite (data kept in .local/azurite), then the standalone
# host on http://localhost:7071 with the settings of local.settings.json (copied from the sample on first run).
# Needs only the .NET 10 SDK and Node.js 20+.  Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

if [ ! -x node_modules/.bin/azurite-table ] || ! cmp -s package-lock.json node_modules/.fractal-installed-lock; then
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.fractal-installed-lock
fi
[ -f local.settings.json ] || cp local.settings.sample.json local.settings.json
mkdir -p .local/azurite

azurite_pid=""
cleanup() { [ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
if (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then
  echo "Azurite (Table) already listening on 127.0.0.1:10002; using it."
else
  node_modules/.bin/azurite-table --location .local/azurite --tableHost 127.0.0.1 --tablePort 10002 --disableTelemetry --silent &
  azurite_pid=$!
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null && break; sleep 0.2; done
fi

dotnet build Fractal.Functions -c Debug -v quiet -nologo
app=Fractal.Functions/bin/Debug/net10.0/Fractal.Functions.dll

url="${FRACTAL_URL:-http://localhost:7071}"
echo
echo "Fractal One MCP/OAuth app: $url"
echo "  health:        $url/health"
echo "  sign in:       $url/account/sign-in   (demo users below; passwords are for local use only)"
echo "  MCP server:    $url/mcp/oauth/fractal-one"
echo "  OAuth metadata: $url/.well-known/oauth-authorization-server"
echo
dotnet "$app" --standalone --urls "$url" --settings local.settings.json --seed-demo --demo-credentials .local/demo-credentials.json "$@"
