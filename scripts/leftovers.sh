#!/usr/bin/env bash
# Finds objects named with the prefixes netlib's tests and examples use (namespaces nl*-, links nl*,
# nft tables named netlib* in the machine's own namespace), removes them and lists them.
#   leftovers.sh --before FILE   records what exists before a test run (and removes it, with a note)
#   leftovers.sh --after FILE    exits 1 if the run left anything that FILE did not list
# so a leaking test fails the run, while debris an earlier, killed run left is cleaned up and
# reported without being blamed on this one. Touches nothing without those prefixes.
set -u
mode=${1:-}
file=${2:-/dev/null}
found=()
for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^nl[a-z]*-' || true); do
  found+=("namespace $ns"); ip netns del "$ns" 2>/dev/null || true
done
for l in $(ip -br link 2>/dev/null | awk '{print $1}' | sed 's/@.*//' | grep -E '^nl' || true); do
  found+=("link $l"); ip link del "$l" 2>/dev/null || true
done
if command -v nft >/dev/null 2>&1; then
  while read -r fam name; do
    [ -n "$name" ] || continue
    found+=("nft table $fam $name"); nft delete table "$fam" "$name" 2>/dev/null || true
  done < <(nft list tables 2>/dev/null | awk '$3 ~ /^netlib/ {print $2, $3}')
fi
case "$mode" in
  --before)
    : > "$file"
    for f in "${found[@]+"${found[@]}"}"; do echo "note: removed debris of an earlier run: $f" >&2; echo "$f" >> "$file"; done
    exit 0 ;;
  *)
    left=0
    for f in "${found[@]+"${found[@]}"}"; do
      if grep -qxF "$f" "$file" 2>/dev/null; then continue; fi
      echo "leftover after the tests: $f" >&2; left=1
    done
    exit $left ;;
esac
