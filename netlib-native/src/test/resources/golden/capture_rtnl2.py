#!/usr/bin/env python3
"""Captures golden netlink bytes from iproute2 for the address, route, neighbour and FDB codecs.

Run as root:  python3 capture_rtnl2.py OUTDIR
Every fixture is made inside a throwaway namespace nlr-gold<pid>, deleted afterwards. Each
fixture file holds the setup and command (NS stands for the namespace), the link indexes of the
namespace ("links: lo=1 d1=2 ..."), and either the request message of the wanted type that
ip/bridge sent (hex, one message), or the kernel's dump reply (every message of the wanted type,
one "reply:" line each) plus the `-j` output of the same command.
"""
import os, re, sys

from netlink_strace import messages, sh, strace

OUT = sys.argv[1]
NS = "nlr-gold%d" % os.getpid()

def expand(s):
    return [w.replace("NS", NS) if w == "NS" else w for w in s.split()]

def links():
    out = []
    for line in sh("ip", "-n", NS, "-o", "link", "show").splitlines():
        m = re.match(r"^(\d+): ([^:@]+)", line)
        out.append("%s=%s" % (m.group(2), m.group(1)))
    return " ".join(out)

def header(f, setup, cmd):
    f.write("# setup: %s\n" % " ; ".join(setup))
    f.write("# command: %s\n" % cmd)
    f.write("links: %s\n" % links())

def run_setup(setup):
    sh("ip", "netns", "add", NS)
    for s in setup:
        sh(*expand(s))

def capture(name, setup, cmd, types):
    try:
        run_setup(setup)
        wanted = None
        for call in strace(expand(cmd), "sendmsg,sendto", "write"):
            for typ, msg in messages(call):
                if typ in types:
                    wanted = msg
        with open(os.path.join(OUT, name + ".txt"), "w") as f:
            header(f, setup, cmd)
            if strace.last_error:
                f.write("# answered: %s\n" % strace.last_error)
            f.write("request: %s\n" % wanted.hex())
    finally:
        sh("ip", "netns", "del", NS, check=False)

def capture_show(name, setup, cmd, types, jsoncmd):
    try:
        run_setup(setup)
        replies = []
        for call in strace(expand(cmd), "recvmsg,recvfrom", "read"):
            for typ, msg in messages(call):
                if typ in types:
                    replies.append(msg)
        js = sh(*expand(jsoncmd))
        with open(os.path.join(OUT, name + ".txt"), "w") as f:
            header(f, setup, cmd)
            for r in replies:
                f.write("reply: %s\n" % r.hex())
            f.write("# json command: %s\n" % jsoncmd)
            f.write("json: %s\n" % js.strip().replace(NS, "NS"))
    finally:
        sh("ip", "netns", "del", NS, check=False)

# d1 is ifindex 2 and d0 ifindex 3 (a veth's peer registers first)
VETH = ["ip -n NS link add name d0 type veth peer name d1",
        "ip -n NS link set dev d1 up", "ip -n NS link set dev d0 up"]
ADDR4 = VETH + ["ip -n NS addr add 10.1.2.3/24 dev d0"]
ADDR6 = ADDR4 + ["ip -n NS addr add fd00::3/64 dev d0 nodad"]
# br0 2, d1 3, d0 4, vx0 5
FDBSET = ["ip -n NS link add name br0 type bridge",
          "ip -n NS link add name d0 master br0 type veth peer name d1",
          "ip -n NS link add name vx0 type vxlan id 42 dstport 4789 nolearning",
          "ip -n NS link set dev br0 up", "ip -n NS link set dev d1 up", "ip -n NS link set dev d0 up",
          "ip -n NS link set dev vx0 up"]

ADDR = (20, 21)
ROUTE = (24, 25)
NEIGH = (28, 29)
FIXTURES = [
    ("addr-add4", VETH, "ip -n NS addr add 10.1.2.3/24 dev d0", ADDR),
    ("addr-add4-host", VETH, "ip -n NS addr add 10.1.2.4/32 dev d0", ADDR),
    ("addr-add6", VETH, "ip -n NS addr add fd00::3/64 dev d0", ADDR),
    ("addr-del4", ADDR4, "ip -n NS addr del 10.1.2.3/24 dev d0", ADDR),
    ("addr-del6", ADDR6, "ip -n NS addr del fd00::3/64 dev d0", ADDR),
    ("addr-dump", ADDR4, "ip -n NS addr show", (22,)),
    ("route-add-default4", ADDR4, "ip -n NS route add default via 10.1.2.1", ROUTE),
    ("route-add-default4-dev", ADDR4, "ip -n NS route add default via 10.1.2.1 dev d0", ROUTE),
    ("route-add-dev4", ADDR4, "ip -n NS route add 10.9.0.0/16 dev d0", ROUTE),
    ("route-add-full4", ADDR4, "ip -n NS route add 10.8.0.0/16 via 10.1.2.1 dev d0 scope global table 100 metric 50", ROUTE),
    ("route-add-bigtable4", ADDR4, "ip -n NS route add 10.7.0.0/16 via 10.1.2.1 table 1000", ROUTE),
    ("route-add-scope-link4", ADDR4, "ip -n NS route add 10.6.0.0/16 dev d0 scope link metric 7", ROUTE),
    ("route-replace4", ADDR4, "ip -n NS route replace 10.8.0.0/16 via 10.1.2.1", ROUTE),
    ("route-add-default6", ADDR6, "ip -n NS -6 route add default via fd00::1 dev d0", ROUTE),
    ("route-add-net6", ADDR6, "ip -n NS -6 route add fd01::/48 via fd00::1 metric 20", ROUTE),
    ("route-del4", ADDR4 + ["ip -n NS route add 10.8.0.0/16 via 10.1.2.1 dev d0 table 100 metric 50"],
     "ip -n NS route del 10.8.0.0/16 via 10.1.2.1 dev d0 table 100 metric 50", ROUTE),
    ("route-del-default4", ADDR4 + ["ip -n NS route add default via 10.1.2.1"],
     "ip -n NS route del default via 10.1.2.1", ROUTE),
    ("route-del-default6", ADDR6 + ["ip -n NS -6 route add default via fd00::1 dev d0"],
     "ip -n NS -6 route del default via fd00::1 dev d0", ROUTE),
    ("route-dump", ADDR4, "ip -n NS route show table all", (26,)),
    ("route-dump4", ADDR4, "ip -n NS -4 route show table all", (26,)),
    ("route-dump6", ADDR4, "ip -n NS -6 route show table all", (26,)),
    ("route-dump-any", ADDR4, "ip -n NS -0 route show table all", (26,)),
    ("neigh-add4", ADDR4, "ip -n NS neigh add 10.1.2.9 lladdr 02:00:00:00:00:09 dev d0 nud permanent", NEIGH),
    ("neigh-replace4", ADDR4, "ip -n NS neigh replace 10.1.2.9 lladdr 02:00:00:00:00:09 dev d0 nud reachable", NEIGH),
    ("neigh-add6", ADDR6, "ip -n NS neigh add fd00::9 lladdr 02:00:00:00:00:0a dev d0 nud permanent", NEIGH),
    ("neigh-replace6-stale", ADDR6, "ip -n NS neigh replace fd00::9 lladdr 02:00:00:00:00:0a dev d0 nud stale", NEIGH),
    ("neigh-add4-noarp", ADDR4, "ip -n NS neigh add 10.1.2.10 lladdr 02:00:00:00:00:10 dev d0 nud noarp", NEIGH),
    ("neigh-del4", ADDR4 + ["ip -n NS neigh add 10.1.2.9 lladdr 02:00:00:00:00:09 dev d0 nud permanent"],
     "ip -n NS neigh del 10.1.2.9 dev d0", NEIGH),
    ("neigh-del6", ADDR6 + ["ip -n NS neigh add fd00::9 lladdr 02:00:00:00:00:0a dev d0 nud permanent"],
     "ip -n NS neigh del fd00::9 dev d0", NEIGH),
    ("neigh-dump", ADDR4, "ip -n NS neigh show", (30,)),
    ("fdb-add-self", FDBSET, "bridge -n NS fdb add 02:00:00:00:00:aa dev vx0 dst 10.0.0.2 self permanent", NEIGH),
    ("fdb-add-vni", FDBSET, "bridge -n NS fdb add 02:00:00:00:00:bb dev vx0 dst 10.0.0.4 vni 100 self permanent", NEIGH),
    ("fdb-append-flood", FDBSET + ["bridge -n NS fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2 self permanent"],
     "bridge -n NS fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3 self permanent", NEIGH),
    ("fdb-add-master", FDBSET, "bridge -n NS fdb add 02:00:00:00:00:cc dev d0 master permanent", NEIGH),
    ("fdb-add-master-dynamic", FDBSET, "bridge -n NS fdb add 02:00:00:00:00:cd dev d0 master dynamic", NEIGH),
    ("fdb-replace-master-static", FDBSET, "bridge -n NS fdb replace 02:00:00:00:00:cf dev d0 master static", NEIGH),
    ("fdb-add-self-master", FDBSET, "bridge -n NS fdb add 02:00:00:00:00:ce dev d0 self master permanent", NEIGH),
    ("fdb-del-self", FDBSET + ["bridge -n NS fdb add 02:00:00:00:00:aa dev vx0 dst 10.0.0.2 self permanent"],
     "bridge -n NS fdb del 02:00:00:00:00:aa dev vx0 dst 10.0.0.2 self", NEIGH),
    ("fdb-del-flood", FDBSET + ["bridge -n NS fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2 self permanent",
                                "bridge -n NS fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3 self permanent"],
     "bridge -n NS fdb del 00:00:00:00:00:00 dev vx0 dst 10.0.0.3 self", NEIGH),
    ("fdb-del-master", FDBSET + ["bridge -n NS fdb add 02:00:00:00:00:cc dev d0 master permanent"],
     "bridge -n NS fdb del 02:00:00:00:00:cc dev d0 master", NEIGH),
    ("fdb-dump", FDBSET, "bridge -n NS fdb show", (30,)),
    # refused on a kernel without CONFIG_BRIDGE_VLAN_FILTERING (no VLAN 7 on the port): only the request matters
    ("fdb-add-master-vlan", FDBSET, "bridge -n NS fdb add 02:00:00:00:00:d0 dev d0 master static vlan 7", NEIGH),
    ("fdb-del-master-vlan", FDBSET, "bridge -n NS fdb del 02:00:00:00:00:d0 dev d0 master vlan 7", NEIGH),
    ("fdb-add-self-vni-vlan", FDBSET, "bridge -n NS fdb add 02:00:00:00:00:d1 dev vx0 dst 10.0.0.4 vni 100 self permanent vlan 7", NEIGH),
]

SHOWN = ADDR6 + ["ip -n NS link set dev lo up",
                 "ip -n NS addr add 10.1.3.3/24 dev d1 scope link",
                 "ip -n NS route add default via 10.1.2.1",
                 "ip -n NS route add 10.8.0.0/16 via 10.1.2.1 dev d0 table 100 metric 50",
                 "ip -n NS route add 10.9.0.0/16 dev d0 metric 9",
                 "ip -n NS -6 route add default via fd00::1 dev d0",
                 "ip -n NS -6 route add fd01::/48 via fd00::1 metric 20 table 1000",
                 "ip -n NS neigh add 10.1.2.9 lladdr 02:00:00:00:00:09 dev d0 nud permanent",
                 "ip -n NS neigh add 10.1.2.10 lladdr 02:00:00:00:00:10 dev d0 nud stale",
                 "ip -n NS neigh add fd00::9 lladdr 02:00:00:00:00:0a dev d0 nud permanent",
                 "ip -n NS neigh add 10.1.2.11 lladdr 02:00:00:00:00:11 dev d0 nud noarp"]
FDBSHOWN = FDBSET + ["bridge -n NS fdb add 02:00:00:00:00:aa dev vx0 dst 10.0.0.2 self permanent",
                     "bridge -n NS fdb add 02:00:00:00:00:bb dev vx0 dst 10.0.0.4 vni 100 self permanent",
                     "bridge -n NS fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2 self permanent",
                     "bridge -n NS fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3 self permanent",
                     "bridge -n NS fdb add 02:00:00:00:00:cc dev d0 master permanent",
                     "bridge -n NS fdb add 02:00:00:00:00:cd dev d0 master static"]
SHOW = [
    ("addr-show", SHOWN, "ip -n NS addr show", (20,), "ip -n NS -j addr show"),
    ("route-show4", SHOWN, "ip -n NS -4 route show table all", (24,), "ip -n NS -j -4 route show table all"),
    ("route-show6", SHOWN, "ip -n NS -6 route show table all", (24,), "ip -n NS -j -6 route show table all"),
    ("neigh-show", SHOWN, "ip -n NS neigh show", (28,), "ip -n NS -j neigh show"),
    ("fdb-show", FDBSHOWN, "bridge -n NS fdb show", (28,), "bridge -n NS -j fdb show"),
]

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    only = sys.argv[2:]
    for n, s, c, t in FIXTURES:
        if only and n not in only:
            continue
        try:
            capture(n, s, c, t)
        except Exception as e:
            print("FAILED", n, e)
    for n, s, c, t, j in SHOW:
        if only and n not in only:
            continue
        try:
            capture_show(n, s, c, t, j)
        except Exception as e:
            print("FAILED", n, e)
