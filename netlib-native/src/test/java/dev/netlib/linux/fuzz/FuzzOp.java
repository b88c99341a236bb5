package dev.netlib.linux.fuzz;

import dev.netlib.VethBuilder;
import dev.netlib.VxlanBuilder;
import dev.netlib.model.MacvlanMode;

/**
 * One public-API operation the fuzzer applies to both backends, and the {@code ip} command it
 * stands for (namespaces printed as {@code A} and {@code B}).
 */
sealed interface FuzzOp {
    void apply(Side s);

    String ip();

    /** The slot's name in scripts: A, B, C (named, comes and goes), D (anonymous, comes and goes). */
    static String n(int ns) {
        return String.valueOf((char) ('A' + ns));
    }

    record Veth(int ns, String name, String peer, int peerNs, boolean up, boolean peerUp, String peerMaster, String mac, String peerMac)
            implements FuzzOp {
        @Override
        public void apply(Side s) {
            VethBuilder b = s.in(ns).veth(name).mac(mac);
            if (up) {
                b.up();
            }
            b.peer(peer, p -> {
                p.mac(peerMac);
                if (peerNs != ns) {
                    p.namespace(s.namespace(peerNs));
                }
                if (peerUp) {
                    p.up();
                }
                if (peerMaster != null) {
                    p.master(peerMaster);
                }
            });
            b.create();
        }

        @Override
        public String ip() {
            return "ip -n " + n(ns) + " link add " + name + " address " + mac + (up ? " up" : "") + " type veth peer name " + peer
                    + " address " + peerMac + (peerNs != ns ? " netns " + n(peerNs) : "") + (peerMaster != null ? " master " + peerMaster : "")
                    + (peerUp ? " && ip -n " + n(peerNs) + " link set " + peer + " up" : "");
        }
    }

    record Bridge(int ns, String name, boolean up) implements FuzzOp {
        @Override
        public void apply(Side s) {
            var b = s.in(ns).bridge(name);
            if (up) {
                b.up();
            }
            b.create();
        }

        @Override
        public String ip() {
            return "ip -n " + n(ns) + " link add " + name + (up ? " up" : "") + " type bridge";
        }
    }

    record Vxlan(int ns, String name, int vni, int port, String device, boolean up, String mac) implements FuzzOp {
        @Override
        public void apply(Side s) {
            VxlanBuilder b = s.in(ns).vxlan(name).vni(vni).port(port).mac(mac);
            if (device != null) {
                b.device(device);
            }
            if (up) {
                b.up();
            }
            b.create();
        }

        @Override
        public String ip() {
            return "ip -n " + n(ns) + " link add " + name + " address " + mac + (up ? " up" : "") + " type vxlan id " + vni + " dstport " + port
                    + (device != null ? " dev " + device : "");
        }
    }

    record Macvlan(int ns, String name, String parent, MacvlanMode mode, boolean up, String mac) implements FuzzOp {
        @Override
        public void apply(Side s) {
            var b = s.in(ns).macvlan(name).parent(parent).mac(mac);
            if (mode != null) {
                b.mode(mode);
            }
            if (up) {
                b.up();
            }
            b.create();
        }

        @Override
        public String ip() {
            return "ip -n " + n(ns) + " link add link " + parent + " name " + name + " address " + mac + (up ? " up" : "") + " type macvlan"
                    + (mode != null ? " mode " + mode.word() : "");
        }
    }

    record SetUp(int ns, String name, boolean up) implements FuzzOp {
        @Override
        public void apply(Side s) {
            if (up) {
                s.in(ns).link(name).up();
            } else {
                s.in(ns).link(name).down();
            }
        }

        @Override
        public String ip() {
            return "ip -n " + n(ns) + " link set " + name + (up ? " up" : " down");
        }
    }

    record Mtu(int ns, String name, int mtu) implements FuzzOp {
        @Override
        public void apply(Side s) {
            s.in(ns).link(name).mtu(mtu);
        }

        @Override
        public String ip() {
            return "ip -n " + n(ns) + " link set " + name + " mtu " + mtu;
        }
    }

    record Master(int ns, String name, String master) implements FuzzOp {
        @Override
        public void apply(Side s) {
            if (master == null) {
                s.in(ns).link(name).noMaster();
            } else {
                s.in(ns).link(name).master(master);
            }
        }

        @Override
        public String ip() {
            return "ip -n " + n(ns) + " link set " + name + (master == null ? " nomaster" : " master " + master);
        }
    }

    record Rename(int ns, String name, String newName) implements FuzzOp {
        @Override
        public void apply(Side s) {
            s.in(ns).link(name).rename(newName);
        }

        @Override
        public String ip() {
            return "ip -n " + n(ns) + " link set " + name + " name " + newName;
        }
    }

    record Move(int ns, String name, int to) implements FuzzOp {
        @Override
        public void apply(Side s) {
            s.in(ns).link(name).moveTo(s.namespace(to));
        }

        @Override
        public String ip() {
            return "ip -n " + n(ns) + " link set " + name + " netns " + n(to);
        }
    }

    record Delete(int ns, String name) implements FuzzOp {
        @Override
        public void apply(Side s) {
            s.in(ns).link(name).delete();
        }

        @Override
        public String ip() {
            return "ip -n " + n(ns) + " link del " + name;
        }
    }

    record Address(int ns, String dev, String prefix, boolean add) implements FuzzOp {
        @Override
        public void apply(Side s) {
            if (add) {
                s.in(ns).addresses().add(dev, prefix);
            } else {
                s.in(ns).addresses().delete(dev, prefix);
            }
        }

        @Override
        public String ip() {
            return "ip -n " + n(ns) + " addr " + (add ? "add " : "del ") + prefix + " dev " + dev;
        }
    }

    record Route(int ns, String dest, String via, String dev, boolean add) implements FuzzOp {
        @Override
        public void apply(Side s) {
            var r = s.in(ns).routes().to(dest);
            if (via != null) {
                r.via(via);
            }
            if (dev != null) {
                r.dev(dev);
            }
            if (add) {
                r.add();
            } else {
                r.delete();
            }
        }

        @Override
        public String ip() {
            return "ip -n " + n(ns) + " route " + (add ? "add " : "del ") + dest + (via != null ? " via " + via : "")
                    + (dev != null ? " dev " + dev : "");
        }
    }

    record Neighbor(int ns, String dev, String address, String mac, boolean add) implements FuzzOp {
        @Override
        public void apply(Side s) {
            if (add) {
                s.in(ns).neighbors().add(dev, address, mac);
            } else {
                s.in(ns).neighbors().delete(dev, address);
            }
        }

        @Override
        public String ip() {
            return "ip -n " + n(ns) + " neigh " + (add ? "add " + address + " lladdr " + mac + " dev " + dev + " nud permanent"
                    : "del " + address + " dev " + dev);
        }
    }

    record Fdb(int ns, String dev, String mac, String dst, Integer vni, boolean self, boolean add) implements FuzzOp {
        @Override
        public void apply(Side s) {
            var e = s.in(ns).fdb().entry(dev, mac);
            if (dst != null) {
                e.destination(dst);
            }
            if (vni != null) {
                e.vni(vni);
            }
            if (self) {
                e.self();
            } else {
                e.master();
            }
            if (add) {
                e.append();
            } else {
                e.delete();
            }
        }

        @Override
        public String ip() {
            return "bridge -n " + n(ns) + " fdb " + (add ? "append " : "del ") + mac + " dev " + dev + (dst != null ? " dst " + dst : "")
                    + (vni != null ? " vni " + vni : "") + (self ? " self" : " master") + " permanent";
        }
    }

    record Sysctl(int ns, String key, String value) implements FuzzOp {
        @Override
        public void apply(Side s) {
            s.in(ns).sysctls().set(key, value);
        }

        @Override
        public String ip() {
            return "ip netns exec " + n(ns) + " sysctl -w " + key + "=" + value;
        }
    }

    /**
     * A new namespace in slot C ({@code ip netns add}) or D (anonymous: {@code createAnonymous()},
     * {@code detach}ed or not). A script shows D as a named namespace: what the kernel does when
     * its last reference goes is the same.
     */
    record NetnsAdd(int ns, boolean detach) implements FuzzOp {
        @Override
        public void apply(Side s) {
            s.add(ns, detach);
        }

        @Override
        public String ip() {
            return "ip netns add " + n(ns) + (ns == Side.D ? "  # anonymous" + (detach ? ", detached" : "") : "");
        }
    }

    /** {@code ip netns del C}; D's handle closed (its last reference). The namespace dies unless held. */
    record NetnsDel(int ns) implements FuzzOp {
        @Override
        public void apply(Side s) {
            s.delete(ns);
        }

        @Override
        public String ip() {
            return "ip netns del " + n(ns) + (ns == Side.D ? "  # anonymous: its handle closed" : "");
        }
    }

    /** A second handle on C opened by its name, or closed: it keeps C alive past {@code ip netns del}. */
    record NetnsHold(int ns, boolean hold) implements FuzzOp {
        @Override
        public void apply(Side s) {
            s.hold(ns, hold);
        }

        @Override
        public String ip() {
            return hold ? "exec 7</var/run/netns/" + n(ns) : "exec 7<&-  # closes the handle on " + n(ns);
        }
    }
}
