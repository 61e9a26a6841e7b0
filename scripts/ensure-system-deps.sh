#!/usr/bin/env bash
# System programs the test suite runs: redis-server (its own throwaway Redis), chromium (the docs
# page, in a real headless browser), systemd-analyze (the unit file's checks), zsh and fish (the CLI's
# completion scripts; bash is there already), script (a pseudo-terminal for the CLI's waiting line) and
# kubectl (the executor end to end, the manifests' kustomize render). Installs the missing ones from Debian's
# packages when root; kubectl has no Debian package recent enough, so a missing one is only named.
# Without them the tests that need them would skip, and .ci/run counts a skip as a failure.
set -euo pipefail

if ! command -v kubectl >/dev/null 2>&1; then
  echo "the tests need kubectl on PATH: https://kubernetes.io/docs/tasks/tools/#kubectl" >&2
  exit 1
fi

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
command -v zsh >/dev/null 2>&1 || missing+=(zsh)
command -v fish >/dev/null 2>&1 || missing+=(fish)
command -v script >/dev/null 2>&1 || missing+=(bsdutils)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages the tests need: ${missing[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "the tests need ${missing[*]}: install them (Debian/Ubuntu: apt-get install ${missing[*]}), or run npm test as root" >&2
exit 1
