#!/usr/bin/env bash
# Makes sure headless Chromium is there for the page's browser test: Debian's package, installed
# through apt-get when missing (CI runs as root). CHROMIUM names another binary to use instead.
set -euo pipefail
if [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ]; then exit 0; fi
if command -v chromium >/dev/null 2>&1; then exit 0; fi
[ "$(id -u)" = 0 ] || { echo "chromium.sh: chromium is missing and installing it needs root (apt-get install chromium)" >&2; exit 1; }
echo "chromium.sh: installing chromium (apt-get)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends chromium
