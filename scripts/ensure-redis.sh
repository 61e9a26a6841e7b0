#!/usr/bin/env bash
# The test suite starts its own throwaway redis-server; make sure the binary exists.
set -euo pipefail
command -v redis-server >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "redis-server not found: installing Debian's redis-server package" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  exit 0
fi
echo "redis-server is needed by the tests: install it (Debian/Ubuntu: apt-get install redis-server)" >&2
exit 1
