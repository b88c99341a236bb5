#!/bin/bash
# Regenerates the golden fixtures of netlib's map layout (issue 12): the sets and maps of table
# ip netlib, the fixed lookup rules, and element adds/deletes. Same method as capture.sh (strace of
# nft's sendmsg inside a throwaway netns); each fixture also records what `nft --debug=netlink`
# prints for the command. Never touches the root namespace's ruleset.
# usage: capture-maps.sh   (as root; writes map-*.hex next to this script)
set -euo pipefail
cd "$(dirname "$0")"
NS=nlf-goldm$$
ip netns add $NS
trap 'ip netns del $NS; rm -f /tmp/$NS.st' EXIT
X="ip netns exec $NS"

capture() {
  local name=$1; shift
  $X strace -o /tmp/$NS.st -e trace=sendmsg -e write=3 nft "$@"
  {
    echo "# command: nft $*"
    echo "# $(nft --version), kernel $(uname -r); strace -e write=3 inside a throwaway netns"
    $X nft --debug=netlink --check "$@" 2>&1 | sed 's/^/# debug: /' || true
    echo "# the batch's payload messages (BATCH_BEGIN/END and nlmsg_seq/pid stripped), hex"
    python3 - /tmp/$NS.st <<'PY'
import re, struct, sys
data = bytearray()
for line in open(sys.argv[1]):
    m = re.match(r'\s*\|\s*[0-9a-f]{5}\s+((?:[0-9a-f]{2}\s+){1,16})', line)
    if m:
        data += bytes.fromhex(''.join(m.group(1).split()))
msgs = []
off = 0
while off + 16 <= len(data):
    ln, typ = struct.unpack_from('<IH', data, off)
    if ln < 16: break
    msgs.append((off, ln, typ))
    off += (ln + 3) & ~3
out = []
for off, ln, typ in msgs:
    if typ in (0x10, 0x11): continue
    m = bytearray(data[off:off+ln])
    m[8:16] = bytes(8)
    out.append(m.hex())
print('\n'.join(out))
PY
  } > $name.hex
  rm -f /tmp/$NS.st
}

$X nft add table ip netlib
$X nft add chain ip netlib published
$X nft add chain ip netlib prerouting '{ type nat hook prerouting priority -100; policy accept; }'
$X nft add chain ip netlib postrouting '{ type nat hook postrouting priority 100; policy accept; }'
$X nft add chain ip netlib forward '{ type filter hook forward priority 0; policy accept; }'
capture map-published add map ip netlib published '{ type inet_proto . inet_service : ipv4_addr . inet_service; }'
capture map-published-addr add map ip netlib published_addr '{ type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service; }'
capture set-hairpin add set ip netlib hairpin '{ type ipv4_addr . ipv4_addr . inet_proto . inet_service; flags interval; }'
capture set-isolated add set ip netlib isolated '{ type ifname . ifname; }'
capture rule-published-addr add rule ip netlib published dnat ip to ip daddr . meta l4proto . th dport map @published_addr
capture rule-published add rule ip netlib published dnat ip to meta l4proto . th dport map @published
capture rule-hairpin add rule ip netlib postrouting ct status dnat ip saddr . ip daddr . meta l4proto . th dport @hairpin masquerade
capture rule-isolated add rule ip netlib forward iifname . oifname @isolated drop
capture elem-published add element ip netlib published '{ tcp . 8080 comment "netlib dnat tcp - 8080 8080 172.17.0.2 80 172.17.0.0/16" : 172.17.0.2 . 80 }'
capture elem-published-addr add element ip netlib published_addr '{ 10.1.0.2 . udp . 53 comment "netlib dnat udp 10.1.0.2 53 53 172.17.0.3 5353 -" : 172.17.0.3 . 5353 }'
capture elem-hairpin add element ip netlib hairpin '{ 172.17.0.0/16 . 172.17.0.2 . tcp . 80 comment "netlib shared 1" }'
capture elem-isolated add element ip netlib isolated '{ "br-a" . "br-b" comment "netlib isolate br-a br-b" }'
capture elem-published-del delete element ip netlib published '{ tcp . 8080 }'
capture elem-hairpin-del delete element ip netlib hairpin '{ 172.17.0.0/16 . 172.17.0.2 . tcp . 80 }'
capture elem-isolated-del delete element ip netlib isolated '{ "br-a" . "br-b" }'
# the layout's removal deletes each set with NLM_F_NONREC (nft sends no flag; the test adds it)
H=$($X nft -a list chain ip netlib forward | awk '/@isolated/ {print $NF; exit}')
$X nft delete rule ip netlib forward handle $H
capture delete-set delete set ip netlib isolated
