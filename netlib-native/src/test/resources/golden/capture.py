#!/usr/bin/env python3
"""Captures golden netlink bytes from iproute2 for the rtnl codec tests.

Run as root:  python3 capture.py OUTDIR
Every fixture is made inside throwaway namespaces nll-gold<pid>-a / -b, deleted afterwards.
Each fixture file holds the command (with NS standing for the namespace), the last request
message of the wanted type that ip sent (hex, one message), and for "show" fixtures the reply
the kernel sent (hex) plus `ip -d -j link show` output for the same link.
"""
import json, os, re, sys

from netlink_strace import messages, sh, strace

OUT = sys.argv[1]
A = "nll-gold%d-a" % os.getpid()
B = "nll-gold%d-b" % os.getpid()

def ifname(msg):
    off = 32
    while off + 4 <= len(msg):
        ln = int.from_bytes(msg[off:off+2], "little"); t = int.from_bytes(msg[off+2:off+4], "little")
        if ln < 4:
            break
        if t == 3:
            return msg[off+4:off+ln].rstrip(b"\0").decode()
        off += (ln + 3) & ~3
    return None

def capture(name, setup, cmd, types=(16, 17, 19)):
    sh("ip", "netns", "add", A); sh("ip", "netns", "add", B)
    try:
        for s in setup:
            sh(*s.replace("NSB", B).replace("NS", A).split())
        full = [c.replace("NSB", B).replace("NS", A) for c in cmd.split()]
        wanted = None
        for call in strace(full, "sendmsg,sendto", "write"):
            for typ, msg in messages(call):
                if typ in types:
                    wanted = msg
        with open(os.path.join(OUT, name + ".txt"), "w") as f:
            f.write("# setup: %s\n" % " ; ".join(setup))
            f.write("# command: %s\n" % cmd)
            if strace.last_error:
                f.write("# kernel answered: %s\n" % strace.last_error)
            f.write("request: %s\n" % wanted.hex())
    finally:
        sh("ip", "netns", "del", A, check=False); sh("ip", "netns", "del", B, check=False)

def capture_show(name, setup, dev):
    sh("ip", "netns", "add", A); sh("ip", "netns", "add", B)
    try:
        for s in setup:
            sh(*s.replace("NSB", B).replace("NS", A).split())
        reply = None
        for call in strace(["ip", "-n", A, "-d", "link", "show", "dev", dev], "recvmsg", "read"):
            for typ, msg in messages(call):
                if typ == 16 and ifname(msg) == dev:
                    reply = msg
        js = sh("ip", "-n", A, "-d", "-j", "link", "show", "dev", dev)
        with open(os.path.join(OUT, name + ".txt"), "w") as f:
            f.write("# setup: %s\n" % " ; ".join(setup))
            f.write("# command: ip -n NS -d link show dev %s\n" % dev)
            f.write("reply: %s\n" % reply.hex())
            f.write("json: %s\n" % js.strip().replace(A, "NS").replace(B, "NSB"))
    finally:
        sh("ip", "netns", "del", A, check=False); sh("ip", "netns", "del", B, check=False)

BR = "ip -n NS link add name br0 type bridge"
FIXTURES = [
    ("bridge-min", [], "ip -n NS link add name br0 type bridge"),
    ("bridge-full", [], "ip -n NS link add name br1 txqueuelen 500 address 02:00:00:00:00:01 mtu 9000 group 7 up type bridge stp_state 1 vlan_filtering 1"),
    ("bridge-master", [BR], "ip -n NS link add name br1 master br0 type bridge"),
    ("veth-min", [], "ip -n NS link add name veth0 type veth peer name veth1"),
    ("veth-peer-netns", [BR], "ip -n NS link add name veth0 mtu 1400 master br0 up type veth peer name eth0 address 02:00:00:00:00:02 mtu 1400 netns NSB up"),
    ("veth-peer-netns-down", [BR], "ip -n NS link add name veth0 mtu 1400 master br0 up type veth peer name eth0 address 02:00:00:00:00:02 mtu 1400 netns NSB"),
    ("veth-swapped", [BR], "ip -n NS link add name eth0 address 02:00:00:00:00:02 mtu 1400 netns NSB up type veth peer name veth0 mtu 1400"),
    ("dummy", [], "ip -n NS link add name d0 mtu 1280 type dummy"),
    ("vxlan-full", [BR], "ip -n NS link add name vx0 type vxlan id 42 local 10.0.0.1 remote 10.0.0.2 dev br0 dstport 4789 ttl 64 nolearning noproxy l2miss l3miss"),
    ("vxlan-min", [], "ip -n NS link add name vx1 type vxlan id 7 learning"),
    ("vxlan-group6", [BR], "ip -n NS link add name vx2 type vxlan id 100 group ff05::100 dev br0 dstport 4789 learning"),
    ("macvlan-bridge", [BR], "ip -n NS link add link br0 name mv0 type macvlan mode bridge"),
    ("macvlan-nomode", [BR], "ip -n NS link add link br0 name mv1 type macvlan"),
    ("set-mtu-up", [BR], "ip -n NS link set dev br0 mtu 1400 up"),
    ("set-down", [BR], "ip -n NS link set dev br0 down"),
    ("set-master", [BR, "ip -n NS link add name veth0 type veth peer name veth1"], "ip -n NS link set dev veth0 master br0"),
    ("set-nomaster", [BR, "ip -n NS link add name veth0 master br0 type veth peer name veth1"], "ip -n NS link set dev veth0 nomaster"),
    ("set-hairpin", [BR, "ip -n NS link add name veth0 master br0 type veth peer name veth1"], "ip -n NS link set dev veth0 type bridge_slave hairpin on"),
    ("set-learning-off", [BR, "ip -n NS link add name veth0 master br0 type veth peer name veth1"], "ip -n NS link set dev veth0 type bridge_slave learning off"),
    ("set-hairpin-learning-off", [BR, "ip -n NS link add name veth0 master br0 type veth peer name veth1"], "ip -n NS link set dev veth0 type bridge_slave hairpin on learning off"),
    ("set-rename", [BR], "ip -n NS link set dev br0 name br9"),
    ("set-netns", [BR], "ip -n NS link set dev br0 netns NSB"),
    ("set-group-txq", [BR], "ip -n NS link set dev br0 txqueuelen 900 address 02:00:00:00:00:09 group 5"),
    ("set-addrgenmode", [BR], "ip -n NS link set dev br0 addrgenmode none"),
    ("del", [BR], "ip -n NS link del dev br0"),
    ("del-group", [BR], "ip -n NS link del group 7"),
]

SHOW = [
    ("show-bridge", ["ip -n NS link add name br0 mtu 1400 address 02:00:00:00:00:01 group 3 txqueuelen 700 type bridge stp_state 1", "ip -n NS link set dev br0 up"], "br0"),
    ("show-veth-peer", ["ip -n NS link add name br0 type bridge", "ip -n NS link add name veth0 master br0 type veth peer name eth0 netns NSB"], "veth0"),
    ("show-vxlan", ["ip -n NS link add name br0 type bridge", "ip -n NS link add name vx0 type vxlan id 42 local 10.0.0.1 remote 10.0.0.2 dev br0 dstport 4789 ttl 64 nolearning"], "vx0"),
    ("show-macvlan", ["ip -n NS link add name br0 type bridge", "ip -n NS link add link br0 name mv0 type macvlan mode private"], "mv0"),
]

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for n, s, c in FIXTURES:
        try:
            capture(n, s, c)
        except Exception as e:
            print("FAILED", n, e)
    for n, s, d in SHOW:
        try:
            capture_show(n, s, d)
        except Exception as e:
            print("FAILED", n, e)
