#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need (the repo's pinned Node tools: Azurite; Debian's
# chromium for the browser tests), builds,
# and runs `dotnet test`. Test fixtures start their own Azurite on free ports and stop it.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Health").
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# Reinstall only when the pinned lock file changed since the last install (compared by content, not time).
if [ ! -x node_modules/.bin/azurite-table ] || ! cmp -s package-lock.json node_modules/.fractal-installed-lock; then
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.fractal-installed-lock
fi

# Browser tests drive Debian's Chromium through Playwright's bundled driver (never a downloaded browser).
if [ ! -x /usr/bin/chromium ]; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

# The pinned Bicep CLI (a NuGet package) for the infra tests; a no-op once restored.
infra/bicep.sh restore

# Test fixtures stop their Azurite on exit, but a test host that is ended rather than exiting leaves them behind.
# Every process started under this run inherits the marker; whatever still carries it afterwards is stopped
# (a local app's Azurite from run.sh does not carry it and is left alone). KILL, because leftovers were found
# stopped (state T), and a stopped process does not act on TERM.
export FRACTAL_TEST_RUN="$$-$(date +%s%N)"
stop_leftovers() {
  for pid in $(pgrep -f 'node .*azurite-table' || true); do
    if tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx "FRACTAL_TEST_RUN=$FRACTAL_TEST_RUN"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
}
trap stop_leftovers EXIT

rm -rf TestResults
dotnet build Fractal.sln -c Debug -nologo -v quiet
dotnet test Fractal.sln -c Debug --no-build --logger "trx;LogFileName=results.trx" --results-directory TestResults "$@"
