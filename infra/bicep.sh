#!/usr/bin/env bash
# The pinned Bicep CLI, offline. On first use restores Azure.Bicep.CommandLine.linux-x64 (version in
# infra/tools/Bicep.proj) from NuGet into infra/tools/packages/, then runs the binary from that package.
#
#   infra/bicep.sh build infra/main.bicep --stdout    # any bicep command and its options
#   infra/bicep.sh lint --pattern 'infra/**/*.bicep'
#   infra/bicep.sh restore                            # fetch only (test.sh does this before the tests)
#   infra/bicep.sh path                               # print the binary's path (fetching it if needed)
#
# BICEP=/path/to/bicep overrides the binary (e.g. on macOS or arm64, where the linux-x64 package does not run).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
proj="$here/tools/Bicep.proj"

bin="${BICEP:-}"
if [ -z "$bin" ]; then
  version=$(sed -n 's/.*"Azure\.Bicep\.CommandLine\.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' "$proj")
  [ -n "$version" ] || { echo "bicep.sh: no pinned version found in $proj" >&2; exit 1; }
  bin="$here/tools/packages/azure.bicep.commandline.linux-x64/$version/tools/bicep"
  if [ ! -f "$bin" ]; then
    DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 dotnet restore "$proj" -nologo -v quiet >&2
  fi
  [ -x "$bin" ] || chmod +x "$bin"
fi

case "${1:-}" in
  path) echo "$bin" ;;
  restore) ;;
  *) exec "$bin" "$@" ;;
esac
