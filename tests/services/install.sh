#!/usr/bin/env bash
# Installs the real servers the plugin tests talk to, from Debian's packages:
# PostgreSQL, MariaDB, Redis and memcached; and Chromium, the browser the
# console tests drive with Playwright (tests/view/test_console.py). Nothing is started here and the
# packages' own services stay down: each test run starts its own servers on
# free loopback ports, in temporary directories (tests/support/services.py).
set -euo pipefail
packages=(postgresql mariadb-server redis-server memcached chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The servers run as their own system users (postgres, mysql), who must reach
# their binaries: some machine images make / unreadable to others (0750).
if [ "$(id -u)" -eq 0 ] && [ "$(( $(stat -c '%a' /) % 10 & 1 ))" -eq 0 ]; then
  chmod o+x /
fi
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
# Keep the packages' init scripts from starting system-wide daemons on the
# default ports (the same policy container images use).
policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  made_policy=1
fi
trap '[ -n "$made_policy" ] && $sudo rm -f "$policy"' EXIT
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
