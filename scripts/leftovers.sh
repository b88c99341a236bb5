#!/usr/bin/env bash
# Lists, removes and reports objects that netlib's tests and examples name with their prefixes
# (namespaces nl*-, links nl*, nft tables inside the machine's namespace named netlib*). Exits 1 if
# anything was left behind, so a leaking test fails the run. Touches nothing else.
set -u
left=0
for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^nl[a-z]*-' || true); do
  echo "leftover namespace: $ns" >&2
  ip netns del "$ns" 2>/dev/null || true
  left=1
done
for l in $(ip -br link 2>/dev/null | awk '{print $1}' | sed 's/@.*//' | grep -E '^nl' || true); do
  echo "leftover link: $l" >&2
  ip link del "$l" 2>/dev/null || true
  left=1
done
if command -v nft >/dev/null 2>&1 && nft list tables 2>/dev/null | grep -q netlib; then
  echo "leftover nft table in the machine's namespace: $(nft list tables | grep netlib)" >&2
  left=1
fi
exit $left
