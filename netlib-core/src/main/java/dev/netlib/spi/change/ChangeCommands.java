package dev.netlib.spi.change;

import static dev.netlib.spi.change.Commands.quote;

import dev.netlib.model.BridgeSpec;
import dev.netlib.model.DummySpec;
import dev.netlib.model.FdbSpec;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkKindSpec;
import dev.netlib.model.MacvlanSpec;
import dev.netlib.model.NetnsRef;
import dev.netlib.model.RouteSpec;
import dev.netlib.model.VethSpec;
import dev.netlib.model.VxlanSpec;
import dev.netlib.value.IpAddresses;

/**
 * Renders each kind of {@link KernelChange} as the {@code ip}/{@code bridge} command line that
 * makes it in one namespace (see {@link Commands} for the namespace and quoting rules). A change
 * the kernel takes in one request but iproute2 cannot say in one command (a veth peer brought up
 * at creation) becomes two commands joined by {@code &&}.
 */
final class ChangeCommands implements KernelChange.Visitor<String> {
    /** Where the change applies; null renders no namespace. */
    private final NetnsRef ns;

    ChangeCommands(NetnsRef ns) {
        this.ns = ns;
    }

    private String ip(String arguments) {
        return Commands.iproute(ns, "ip", arguments);
    }

    @Override
    public String createLink(CreateLink c) {
        StringBuilder sb = new StringBuilder("link add");
        if (c.kind() instanceof MacvlanSpec m && m.parent() != null) {
            sb.append(" link ").append(quote(m.parent()));
        }
        sb.append(" name ").append(quote(c.name()));
        appendAttributes(sb, c.attributes());
        sb.append(" type ").append(c.kind().kind());
        String followUp = c.kind().accept(new LinkKindSpec.Visitor<String>() {
            @Override
            public String bridge(BridgeSpec b) {
                if (b.stp() != null) {
                    sb.append(" stp_state ").append(b.stp() ? 1 : 0);
                }
                if (b.vlanFiltering() != null) {
                    sb.append(" vlan_filtering ").append(b.vlanFiltering() ? 1 : 0);
                }
                return null;
            }

            @Override
            public String veth(VethSpec v) {
                sb.append(" peer");
                if (v.peerName() != null) {
                    sb.append(" name ").append(quote(v.peerName()));
                }
                // iproute2 sends a peer's "up" and "addrgenmode" inside VETH_INFO_PEER, which the
                // kernel refuses (ENOTCONN, EAFNOSUPPORT): they are a second command in the peer's
                // namespace, as netlib's own follow-up request is.
                LinkAttributes p = v.peer();
                appendAttributes(sb, p.withUp(null).withAddrGenMode(null));
                if (v.peerName() == null || p.up() == null && p.addrGenMode() == null) {
                    return null;
                }
                StringBuilder set = new StringBuilder("link set dev ").append(quote(v.peerName()));
                appendAttributes(set, LinkAttributes.NONE.withAddrGenMode(p.addrGenMode()).withUp(p.up()));
                return Commands.iproute(p.netns() != null ? p.netns() : ns, "ip", set.toString());
            }

            @Override
            public String vxlan(VxlanSpec x) {
                appendVxlan(sb, x);
                return null;
            }

            @Override
            public String macvlan(MacvlanSpec m) {
                if (m.mode() != null) {
                    sb.append(" mode ").append(m.mode().word());
                }
                return null;
            }

            @Override
            public String dummy(DummySpec d) {
                return null; // no kind attributes
            }
        });
        String create = ip(sb.toString());
        if (followUp != null) {
            create = create + " && " + followUp;
        }
        // A bridge port setting exists only once the link is a port: iproute2 (and netlib's own
        // follow-up request) set it on the created link.
        return c.attributes().hasBridgePortFlags() ? create + " && " + ip("link set dev " + quote(c.name()) + bridgePort(c.attributes())) : create;
    }

    @Override
    public String setLink(SetLink c) {
        StringBuilder sb = new StringBuilder("link set dev ").append(quote(c.name()));
        if (c.newName() != null) {
            sb.append(" name ").append(quote(c.newName()));
        }
        if (c.noMaster()) {
            sb.append(" nomaster");
        }
        appendAttributes(sb, c.changes());
        if (c.changes().hasBridgePortFlags()) {
            sb.append(bridgePort(c.changes()));
        }
        return ip(sb.toString());
    }

    /** {@code " type bridge_slave [hairpin on|off] [learning on|off]"}, in the order netlib (and ip) encode them. */
    private static String bridgePort(LinkAttributes a) {
        StringBuilder sb = new StringBuilder(" type bridge_slave");
        if (a.hairpin() != null) {
            sb.append(" hairpin ").append(a.hairpin() ? "on" : "off");
        }
        if (a.learning() != null) {
            sb.append(" learning ").append(a.learning() ? "on" : "off");
        }
        return sb.toString();
    }

    @Override
    public String deleteLink(DeleteLink c) {
        return ip("link del dev " + quote(c.name()));
    }

    @Override
    public String deleteLinkGroup(DeleteLinkGroup c) {
        return ip("link del group " + c.group());
    }

    @Override
    public String addAddress(AddAddress c) {
        return ip("addr add " + c.address() + " dev " + quote(c.device()));
    }

    @Override
    public String deleteAddress(DeleteAddress c) {
        return ip("addr del " + c.address() + " dev " + quote(c.device()));
    }

    @Override
    public String addRoute(AddRoute c) {
        return route(c.replace() ? "replace" : "add", c.route());
    }

    @Override
    public String deleteRoute(DeleteRoute c) {
        return route("del", c.route());
    }

    @Override
    public String setNeighbor(SetNeighbor c) {
        var n = c.neighbor();
        StringBuilder sb = new StringBuilder("neigh ").append(c.replace() ? "replace " : "add ")
                .append(IpAddresses.format(n.address()));
        if (n.mac() != null) {
            sb.append(" lladdr ").append(n.mac());
        }
        sb.append(" dev ").append(quote(n.device()));
        sb.append(" nud ").append(n.state() == null ? "permanent" : n.state().word());
        return ip(sb.toString());
    }

    @Override
    public String deleteNeighbor(DeleteNeighbor c) {
        return ip("neigh del " + IpAddresses.format(c.address()) + " dev " + quote(c.device()));
    }

    @Override
    public String addFdb(AddFdb c) {
        return fdb(c.append() ? "append" : c.replace() ? "replace" : "add", c.entry());
    }

    @Override
    public String deleteFdb(DeleteFdb c) {
        return fdb("del", c.entry());
    }

    private String route(String verb, RouteSpec r) {
        StringBuilder sb = new StringBuilder();
        if (r.destination().isIpv6()) {
            sb.append("-6 ");
        }
        sb.append("route ").append(verb).append(' ');
        sb.append(r.destination().length() == 0 ? "default" : r.destination().toString());
        if (r.gateway() != null) {
            sb.append(" via ").append(IpAddresses.format(r.gateway()));
        }
        if (r.device() != null) {
            sb.append(" dev ").append(quote(r.device()));
        }
        if (r.scope() != null) {
            sb.append(" scope ").append(r.scope().word());
        }
        if (r.table() != null) {
            sb.append(" table ").append(r.table());
        }
        if (r.metric() != null) {
            sb.append(" metric ").append(r.metric());
        }
        return ip(sb.toString());
    }

    private String fdb(String verb, FdbSpec f) {
        StringBuilder sb = new StringBuilder("fdb ").append(verb).append(' ').append(f.mac())
                .append(" dev ").append(quote(f.device()));
        if (f.destination() != null) {
            sb.append(" dst ").append(IpAddresses.format(f.destination()));
        }
        if (f.vni() != null) {
            sb.append(" vni ").append(f.vni());
        }
        if (f.self()) {
            sb.append(" self");
        }
        if (f.master()) {
            sb.append(" master");
        }
        // bridge(8) alone would make a static (NUD_NOARP) entry: say which state was asked for.
        sb.append(switch (f.state()) {
            case PERMANENT -> " permanent";
            case STATIC -> " static";
            case DYNAMIC -> " dynamic";
        });
        if (f.vlan() != null) {
            sb.append(" vlan ").append(f.vlan());
        }
        return Commands.iproute(ns, "bridge", sb.toString());
    }

    /** The generic link attributes as {@code ip link} words, in the order ip documents them. */
    private static void appendAttributes(StringBuilder sb, LinkAttributes a) {
        if (a.txQueueLength() != null) {
            sb.append(" txqueuelen ").append(a.txQueueLength());
        }
        if (a.mac() != null) {
            sb.append(" address ").append(a.mac());
        }
        if (a.mtu() != null) {
            sb.append(" mtu ").append(a.mtu());
        }
        if (a.netns() != null) {
            sb.append(" netns ").append(Commands.netnsArgument(a.netns()));
        }
        if (a.group() != null) {
            sb.append(" group ").append(a.group());
        }
        if (a.master() != null) {
            sb.append(" master ").append(quote(a.master()));
        }
        if (a.addrGenMode() != null) {
            sb.append(" addrgenmode ").append(a.addrGenMode().word());
        }
        if (a.up() != null) {
            sb.append(a.up() ? " up" : " down");
        }
    }

    private static void appendVxlan(StringBuilder sb, VxlanSpec x) {
        sb.append(" id ").append(x.vni());
        if (x.local() != null) {
            sb.append(" local ").append(IpAddresses.format(x.local()));
        }
        if (x.remote() != null) {
            sb.append(" remote ").append(IpAddresses.format(x.remote()));
        }
        if (x.group() != null) {
            sb.append(" group ").append(IpAddresses.format(x.group()));
        }
        if (x.device() != null) {
            sb.append(" dev ").append(quote(x.device()));
        }
        if (x.port() != null) {
            sb.append(" dstport ").append(x.port());
        }
        if (x.ttl() != null) {
            sb.append(" ttl ").append(x.ttl());
        }
        if (x.learning() != null) {
            sb.append(x.learning() ? " learning" : " nolearning");
        }
        if (x.proxy() != null) {
            sb.append(x.proxy() ? " proxy" : " noproxy");
        }
        if (x.l2miss() != null) {
            sb.append(x.l2miss() ? " l2miss" : " nol2miss");
        }
        if (x.l3miss() != null) {
            sb.append(x.l3miss() ? " l3miss" : " nol3miss");
        }
    }
}
