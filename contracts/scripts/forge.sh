#!/usr/bin/env bash
# Runs forge (or cast: scripts/forge.sh cast ...) from the pinned npm packages of this folder,
# installing them on first use. Idempotent and offline once installed: npm ci runs only when
# node_modules is missing or older than package-lock.json.
#
# Usage: contracts/scripts/forge.sh [forge arguments]      e.g. test, build, snapshot --check
#        contracts/scripts/forge.sh cast [cast arguments]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  command -v npm >/dev/null 2>&1 || { echo "forge.sh: npm is needed to install forge and is missing" >&2; exit 1; }
  echo "forge.sh: installing forge, cast, solc and OpenZeppelin Contracts (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
chmod +x scripts/solc.cjs

tool=forge
if [ "${1:-}" = cast ]; then
  tool=cast
  shift
fi
exec "node_modules/@foundry-rs/$tool-linux-amd64/bin/$tool" "$@"
