#!/bin/bash
# Regenerates the golden nf_tables fixtures: runs each nft command inside a throwaway network
# namespace under strace and keeps the bytes of the batch's payload messages (between
# NFNL_MSG_BATCH_BEGIN and END). Never touches the root namespace's ruleset.
# (The published ports, hairpin and isolation elements and the layout's sets are in capture-maps.sh.)
# usage: capture.sh   (as root; writes *.hex next to this script)
set -euo pipefail
cd "$(dirname "$0")"
NS=nlf-gold$$
ip netns add $NS
trap 'ip netns del $NS; rm -f /tmp/$NS.st' EXIT
X="ip netns exec $NS"
PRE='{ type nat hook prerouting priority -100; policy accept; }'
OUT='{ type nat hook output priority -100; policy accept; }'
POST='{ type nat hook postrouting priority 100; policy accept; }'
FWD='{ type filter hook forward priority 0; policy accept; }'

# capture NAME FAMILY "nft words..."   (setup must already exist)
capture() {
  local name=$1; shift
  $X strace -o /tmp/$NS.st -e trace=sendmsg -e write=3 nft "$@"
  {
    echo "# command: nft $*"
    echo "# $(nft --version), kernel $(uname -r); strace -e write=3 inside a throwaway netns"
    echo "# the batch's payload messages (BATCH_BEGIN/END and nlmsg_seq/pid stripped), hex"
    python3 - /tmp/$NS.st <<'PY'
import re, struct, sys
data = bytearray()
for line in open(sys.argv[1]):
    m = re.match(r'\s*\|\s*[0-9a-f]{5}\s+((?:[0-9a-f]{2}\s+){1,16})', line)
    if m:
        data += bytes.fromhex(''.join(m.group(1).split()))
# the last sendmsg holds the batch; walk its messages
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

capture table add table ip netlib
capture chain-published add chain ip netlib published
capture chain-prerouting add chain ip netlib prerouting "$PRE"
capture jump-prerouting add rule ip netlib prerouting fib daddr type local jump published
$X nft add chain ip netlib output "$OUT"
capture jump-output add rule ip netlib output ip daddr != 127.0.0.0/8 fib daddr type local jump published
$X nft add chain ip netlib postrouting "$POST"
capture chain-forward add chain ip netlib forward "$FWD"
capture masquerade add rule ip netlib postrouting ip saddr 172.17.0.0/16 oifname != '"docker0"' masquerade comment '"netlib masq 172.17.0.0/16 docker0 1"'
capture masquerade-20 add rule ip netlib postrouting ip saddr 10.16.0.0/20 masquerade comment '"netlib masq 10.16.0.0/20 - 0"'
capture snat add rule ip netlib postrouting oifname '"eth0"' snat to 10.1.0.2 comment '"netlib snat - eth0 0 10.1.0.2"'
$X nft add rule ip netlib forward iifname '"br-a"' oifname '"br-b"' drop
H=$($X nft -a list chain ip netlib forward | awk '/drop/ {print $NF; exit}')
capture delete-rule delete rule ip netlib forward handle $H
capture delete-chain delete chain ip netlib forward
capture delete-table delete table ip netlib
