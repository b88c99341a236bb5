#!/usr/bin/env bash
# Runs every test of netlib: unit tests on FakeKernel, codec golden tests, and, as root, the kernel
# tests inside throwaway network namespaces. Installs the system packages the tests use when they
# are missing (Debian, as root): iproute2 and nftables for cross-checks, etcd-server for the IPAM
# store tests, Maven to build.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v nft >/dev/null 2>&1 || need+=(nftables)
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing: ${need[*]}"
    apt-get update -qq
    # policy-rc.d keeps the package scripts from starting an etcd service of their own.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    rm -f /usr/sbin/policy-rc.d
  else
    echo "missing packages: ${need[*]}; install them (Debian: apt-get install ${need[*]}) or run this as root" >&2
  fi
fi

if [ "$(id -u)" != 0 ]; then
  echo "note: not root: kernel tests will be skipped (they need CAP_NET_ADMIN and CAP_SYS_ADMIN)"
fi

before=$(mktemp)
trap 'rm -f "$before"' EXIT
bash scripts/leftovers.sh --before "$before"

status=0
mvn -B -ntp verify "$@" || status=$?

# The tests clean up after themselves; this fails the run if any of them left something behind.
bash scripts/leftovers.sh --after "$before" || status=1
exit $status
