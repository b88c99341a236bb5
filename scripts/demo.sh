#!/usr/bin/env bash
# Builds netlib (installing Maven first on a fresh Debian machine) and runs the main demo.
# As root it builds the demo's networks for real inside throwaway namespaces; without root it says
# what it needs and runs the same scenario on FakeKernel, printing the commands it stands for.
#   bash scripts/demo.sh [demo arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v mvn >/dev/null 2>&1 || ! command -v javac >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends maven openjdk-17-jdk-headless >/dev/null
  else
    echo "netlib needs Maven and a JDK 17+ to build (Debian: apt-get install maven openjdk-17-jdk-headless)" >&2
    exit 1
  fi
fi
jar=netlib-examples/target/netlib-examples.jar
mvn -B -q -ntp -DskipTests package
# The demo's nf_tables lock files (NftLock, one per namespace) belong to namespaces that are gone
# when it ends: a directory of their own, removed with them, rather than files left in /run/netlib/nft
NETLIB_NFT_LOCKDIR=$(mktemp -d -t netlib-demo-locks.XXXXXX)
export NETLIB_NFT_LOCKDIR
trap 'rm -rf "$NETLIB_NFT_LOCKDIR"' EXIT
java -jar "$jar" demo "$@"
