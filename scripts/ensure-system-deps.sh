#!/usr/bin/env bash
# System programs the test suite runs: redis-server (its own throwaway Redis) and chromium (the docs
# page, in a real headless browser). Installs the missing ones from Debian's packages when root.
set -euo pipefail

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages the tests need: ${missing[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "the tests need ${missing[*]}: install them (Debian/Ubuntu: apt-get install ${missing[*]}), or run npm test as root" >&2
exit 1
