package dev.netlib.linux.internal.rtnl;

import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_ACK;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_CREATE;
import static dev.netlib.linux.internal.netlink.NetlinkConstants.NLM_F_EXCL;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_ADDRESS;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_AF_SPEC;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_GROUP;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_IFNAME;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_LINK;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_LINKINFO;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_MASTER;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_MTU;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_NET_NS_FD;
import static dev.netlib.linux.internal.rtnl.IflaConstants.IFLA_TXQLEN;
import static dev.netlib.linux.internal.rtnl.IflaInfoConstants.IFLA_INFO_DATA;
import static dev.netlib.linux.internal.rtnl.IflaInfoConstants.IFLA_INFO_KIND;
import static dev.netlib.linux.internal.rtnl.RtnlConstants.IFF_UP;
import static dev.netlib.linux.internal.rtnl.RtnlConstants.RTM_DELLINK;
import static dev.netlib.linux.internal.rtnl.RtnlConstants.RTM_GETLINK;
import static dev.netlib.linux.internal.rtnl.RtnlConstants.RTM_NEWLINK;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.linux.internal.ffi.LinuxConstants;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.model.BridgeSpec;
import dev.netlib.model.DummySpec;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkKindSpec;
import dev.netlib.model.MacvlanSpec;
import dev.netlib.model.VethSpec;
import dev.netlib.model.VxlanSpec;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.spi.change.DeleteLink;
import dev.netlib.spi.change.DeleteLinkGroup;
import dev.netlib.spi.change.IfindexChoice;
import dev.netlib.spi.change.SetLink;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Encodes the link changes of the SPI as rtnetlink requests, byte for byte as iproute2 6.1 does
 * for the equivalent command (attribute order: IFLA_LINK, TXQLEN, ADDRESS, MTU, NET_NS_FD, GROUP,
 * MASTER, AF_SPEC, IFNAME, LINKINFO; the order {@link CreateLink#command()} prints its words in).
 * Only attributes the caller set are sent.
 *
 * <p>Kernel facts this relies on:
 * <ul>
 *   <li>A veth peer is built from VETH_INFO_PEER (a struct ifinfomsg plus IFLA_* attributes) by
 *       rtnl_create_link(): name, MTU, address, txqlen, group and IFLA_NET_NS_FD are honoured, and
 *       IFLA_MASTER and IFLA_AF_SPEC are NOT applied to the peer, and IFF_UP in the peer's ifinfomsg
 *       fails the whole request with ENOTCONN on 6.x kernels (veth_open() of the peer runs before
 *       the pair is linked; iproute2's {@code peer ... up} fails the same way). So the peer's up,
 *       master and addrgenmode are follow-up requests. A peer born in another
 *       namespace cannot be reached that way (IFLA_TARGET_NETNSID in RTM_NEWLINK means "move
 *       there" to do_setlink()), so such a pair is created the other way round (see
 *       {@link #swapped}).</li>
 *   <li>IFLA_AF_SPEC (IPv6 addrgenmode) is refused on creation (EAFNOSUPPORT, kernel 6.x), so it is
 *       sent in a follow-up request, and "up" is sent after it so no link-local address is made
 *       before the mode applies.</li>
 *   <li>"ip link set" uses RTM_NEWLINK without NLM_F_CREATE on an ifindex (handled by do_setlink()
 *       like RTM_SETLINK).</li>
 *   <li>Follow-ups are pipelined behind the create in the same send, so they cannot wait for its
 *       ack. They address the new links by the ifindex the create ASKED for ({@link CreateIndexes}:
 *       rtnl_newlink_create() sets dev-&gt;ifindex = ifi_index, and veth_newlink() gives the peer
 *       its VETH_INFO_PEER ifi_index, but only when the main device's ifi_index is set too). If the
 *       create fails (EEXIST: the name is taken), no link has that index and every follow-up fails
 *       with ENODEV: a failed create changes nothing. Addressed by name they would change whatever
 *       link already has the name.</li>
 * </ul>
 *
 * <p>Names that must become indexes are resolved through the {@link LinkIndexResolver} before any
 * message is begun.
 */
public final class LinkEncoder {
    private LinkEncoder() {}

    static final int AF_INET6 = LinuxConstants.AF_INET6;

    /**
     * Checks what the kernel cannot do in one namespace's batch; throws
     * {@link InvalidConfigException} before anything is sent.
     */
    public static void validate(CreateLink c) {
        LinkAttributes a = c.attributes();
        if (a.netns() != null && a.addrGenMode() != null) {
            throw new InvalidConfigException("link " + c.name() + ": addrgenmode cannot be set while creating it in another "
                    + "namespace (the kernel refuses IFLA_AF_SPEC on creation); set it with a SetLink in that namespace");
        }
        if (c.kind() instanceof VethSpec v) {
            LinkAttributes p = v.peer();
            if (v.peerName() == null && needsFollowUp(p)) {
                throw new InvalidConfigException("veth " + c.name() + ": setting the peer's state, master or addrgenmode needs a peer name");
            }
            if (p.netns() != null && p.addrGenMode() != null) {
                throw new InvalidConfigException("veth " + c.name() + ": addrgenmode of a peer born in another namespace can only "
                        + "be set from inside it: apply LinkEncoder.withoutPeerFollowUp(change) here and "
                        + "LinkEncoder.peerFollowUp(change) there (or set net.ipv6.conf.default.addr_gen_mode there first)");
            }
            if (swapped(v) && a.netns() != null && needsFollowUp(a)) {
                throw new InvalidConfigException("veth " + c.name() + ": with both ends in other namespaces, only the peer can be "
                        + "brought up or given a master in the same request");
            }
        }
    }

    private static boolean needsFollowUp(LinkAttributes p) {
        return IfindexChoice.needsFollowUp(p);
    }

    /** See {@link IfindexChoice#peerIsMain}: the far end is the request's main device. */
    static boolean swapped(VethSpec v) {
        return IfindexChoice.peerIsMain(v);
    }

    /** Checks a SetLink; throws {@link InvalidConfigException} before anything is sent. */
    public static void validate(SetLink c) {
        LinkAttributes a = c.changes();
        if (a.netns() != null && a.addrGenMode() != null) {
            throw new InvalidConfigException("link " + c.name() + ": set addrgenmode in the target namespace, not together with a move");
        }
        if (c.noMaster() && a.master() != null) {
            throw new InvalidConfigException("link " + c.name() + ": both nomaster and master " + a.master());
        }
    }

    /**
     * For a veth whose peer is born in another namespace with an addrgenmode (which can only be
     * set from inside that namespace): the {@link SetLink} to apply to the peer THERE after the
     * creation (addrgenmode, then its up state). Empty when there is nothing to do there.
     */
    public static Optional<SetLink> peerFollowUp(CreateLink c) {
        if (!(c.kind() instanceof VethSpec v) || v.peer().netns() == null || v.peer().addrGenMode() == null
                || v.peerName() == null) {
            return Optional.empty();
        }
        return Optional.of(SetLink.of(v.peerName(),
                LinkAttributes.NONE.withAddrGenMode(v.peer().addrGenMode()).withUp(v.peer().up())));
    }

    /** {@code c} without what {@link #peerFollowUp} does in the peer's namespace. */
    public static CreateLink withoutPeerFollowUp(CreateLink c) {
        if (peerFollowUp(c).isEmpty()) {
            return c;
        }
        VethSpec v = (VethSpec) c.kind();
        return new CreateLink(c.name(), c.attributes(),
                new VethSpec(v.peerName(), v.peer().withAddrGenMode(null).withUp(null)));
    }

    // ------------------------------------------------------------------ create

    /**
     * RTM_NEWLINK with NLM_F_CREATE|NLM_F_EXCL|NLM_F_ACK, plus the follow-ups described in the
     * class comment.
     *
     * <p>Equivalent to: {@code ip link add [link PARENT] name NAME [attrs] type KIND [kind args]}.
     */
    public static void createLink(MessageWriter w, CreateLink c, LinkIndexResolver links, NamespaceFds fds,
            PeerNamespaces peers) {
        createLink(w, c, links, fds, peers, CreateIndexes.KERNEL_PICKS);
    }

    /**
     * As {@link #createLink(MessageWriter, CreateLink, LinkIndexResolver, NamespaceFds, PeerNamespaces)},
     * asking the kernel for the ifindexes in {@code indexes}; follow-ups address the links by them.
     * A change that {@link #needsChosenIndex needs} follow-ups is refused without a chosen index.
     */
    public static void createLink(MessageWriter w, CreateLink c, LinkIndexResolver links, NamespaceFds fds,
            PeerNamespaces peers, CreateIndexes indexes) {
        validate(c);
        if (needsChosenIndex(c) && indexes.self() == 0) {
            throw new IllegalArgumentException("link " + c.name() + ": its follow-up requests need the ifindex chosen at creation");
        }
        if (c.kind() instanceof VethSpec v && swapped(v)) {
            createSwappedVeth(w, c, v, links, fds, peers, indexes);
            return;
        }
        LinkAttributes a = c.attributes();
        LinkKindSpec kind = c.kind();
        int master = a.master() != null ? links.indexOf(a.master()) : 0;
        int parent = kind instanceof MacvlanSpec m && m.parent() != null ? links.indexOf(m.parent()) : 0;
        int vxlanDev = kind instanceof VxlanSpec x && x.device() != null ? links.indexOf(x.device()) : 0;
        LinkAttributes peer = kind instanceof VethSpec v && v.peer().netns() == null ? v.peer() : LinkAttributes.NONE;
        int peerMaster = peer.master() != null ? links.indexOf(peer.master()) : 0;

        w.beginMessage(RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
        ifinfomsg(w, indexes.self(), a.addrGenMode() != null ? null : a.up()); // with addrgenmode, up comes after it
        if (parent != 0) {
            w.attrU32(IFLA_LINK, parent);
        }
        generic(w, a, master, false, fds);
        w.attrString(IFLA_IFNAME, c.name());
        linkInfo(w, kind, vxlanDev, fds, indexes.peer());
        w.endMessage();

        if (a.addrGenMode() != null) {
            followUps(w, indexes.self(), LinkAttributes.NONE.withAddrGenMode(a.addrGenMode()).withUp(a.up()), 0);
        }
        if (kind instanceof VethSpec && needsFollowUp(peer)) {
            followUps(w, indexes.peer(), peer, peerMaster);
        }
        bridgePortFollowUp(w, indexes.self(), a);
    }

    /**
     * The bridge port's flags (hairpin, learning) of a link made earlier in the batch, by the index its create
     * asked for (never by name, which another link may hold if the create fails): rtnl_newlink()
     * applies IFLA_INFO_SLAVE_DATA only to an existing link (through its master's
     * slave_changelink), never on creation, so it comes right after, as {@code ip link set NAME type
     * bridge_slave hairpin on learning off} would.
     */
    private static void bridgePortFollowUp(MessageWriter w, int index, LinkAttributes a) {
        if (a.hasBridgePortFlags()) {
            w.beginMessage(RTM_NEWLINK, NLM_F_ACK);
            ifinfomsg(w, index, null);
            bridgePort(w, a);
            w.endMessage();
        }
    }

    /**
     * IFLA_LINKINFO { IFLA_INFO_KIND "bridge_slave", IFLA_INFO_SLAVE_DATA { IFLA_BRPORT_MODE,
     * IFLA_BRPORT_LEARNING } } as iproute2 sends it (in that order for {@code hairpin on learning
     * off}); the kernel picks the bridge's slave_changelink from the link's master (br_setport()),
     * IFLA_BRPORT_MODE 1 is BR_HAIRPIN_MODE, IFLA_BRPORT_LEARNING 0 clears BR_LEARNING.
     */
    private static void bridgePort(MessageWriter w, LinkAttributes a) {
        if (!a.hasBridgePortFlags()) {
            return;
        }
        int info = w.beginNested(IFLA_LINKINFO);
        w.attrStringNoNul(IFLA_INFO_KIND, "bridge_slave");
        int data = w.beginNested(IflaInfoConstants.IFLA_INFO_SLAVE_DATA);
        if (a.hairpin() != null) {
            w.attrU8(IflaBrportConstants.IFLA_BRPORT_MODE, a.hairpin() ? 1 : 0);
        }
        if (a.learning() != null) {
            w.attrU8(IflaBrportConstants.IFLA_BRPORT_LEARNING, a.learning() ? 1 : 0);
        }
        w.endNested(data);
        w.endNested(info);
    }

    /** See {@link IfindexChoice#hasFollowUps}. */
    public static boolean needsChosenIndex(CreateLink c) {
        return IfindexChoice.hasFollowUps(c);
    }

    /** See {@link #swapped}: the far end is the main device, ours the VETH_INFO_PEER. */
    private static void createSwappedVeth(MessageWriter w, CreateLink c, VethSpec v, LinkIndexResolver links,
            NamespaceFds fds, PeerNamespaces peers, CreateIndexes indexes) {
        LinkAttributes near = c.attributes();
        LinkAttributes far = v.peer();
        int farMaster = far.master() != null ? peers.indexOf(peers.nsid(far.netns()), far.master()) : 0;
        int nearMaster = near.master() != null && near.netns() == null ? links.indexOf(near.master()) : 0;

        // The far end is the main device here, so it takes the peer's index, and ours the main one's.
        w.beginMessage(RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
        ifinfomsg(w, indexes.peer(), far.up());
        generic(w, far, farMaster, false, fds);
        w.attrString(IFLA_IFNAME, v.peerName());
        int info = w.beginNested(IFLA_LINKINFO);
        w.attrStringNoNul(IFLA_INFO_KIND, "veth");
        int data = w.beginNested(IFLA_INFO_DATA);
        int peer = w.beginNested(VethInfoConstants.VETH_INFO_PEER);
        ifinfomsg(w, indexes.peer() != 0 ? indexes.self() : 0, null);
        generic(w, near, 0, false, fds);
        w.attrString(IFLA_IFNAME, c.name());
        w.endNested(peer);
        w.endNested(data);
        w.endNested(info);
        w.endMessage();

        if (near.netns() == null && needsFollowUp(near)) {
            followUps(w, indexes.self(), near, nearMaster);
        }
        if (near.netns() == null) {
            bridgePortFollowUp(w, indexes.self(), near);
        }
    }

    /**
     * Settings for a link the create just before asked to make with {@code index}: master and
     * addrgenmode first, then the up state, so no IPv6 link-local address is made before the mode
     * applies. ENODEV when the create failed (see the class comment).
     */
    private static void followUps(MessageWriter w, int index, LinkAttributes p, int master) {
        boolean upLater = p.addrGenMode() != null && p.up() != null;
        if (master != 0 || p.addrGenMode() != null || (!upLater && p.up() != null)) {
            w.beginMessage(RTM_NEWLINK, NLM_F_ACK);
            ifinfomsg(w, index, upLater ? null : p.up());
            if (master != 0) {
                w.attrU32(IFLA_MASTER, master);
            }
            addrGenMode(w, p);
            w.endMessage();
        }
        if (upLater) {
            w.beginMessage(RTM_NEWLINK, NLM_F_ACK);
            ifinfomsg(w, index, p.up());
            w.endMessage();
        }
    }

    // ------------------------------------------------------------------ set

    /**
     * RTM_NEWLINK (no NLM_F_CREATE) on the link's ifindex: state, MTU, MAC, master or nomaster,
     * group, txqueuelen, move to a namespace (IFLA_NET_NS_FD), addrgenmode, rename (IFLA_IFNAME).
     * With addrgenmode and up together, "up" follows in a second request.
     *
     * <p>Equivalent to: {@code ip link set dev NAME [name NEW] [nomaster] [attrs]}.
     */
    public static void setLink(MessageWriter w, SetLink c, LinkIndexResolver links, NamespaceFds fds) {
        validate(c);
        LinkAttributes a = c.changes();
        int index = links.indexOf(c.name());
        int master = a.master() != null ? links.indexOf(a.master()) : 0;
        boolean deferUp = a.addrGenMode() != null && Boolean.TRUE.equals(a.up());
        w.beginMessage(RTM_NEWLINK, NLM_F_ACK);
        ifinfomsg(w, index, deferUp ? null : a.up());
        generic(w, a, master, c.noMaster(), fds);
        addrGenMode(w, a);
        if (c.newName() != null) {
            w.attrString(IFLA_IFNAME, c.newName());
        }
        bridgePort(w, a);
        w.endMessage();
        if (deferUp) {
            w.beginMessage(RTM_NEWLINK, NLM_F_ACK);
            ifinfomsg(w, index, Boolean.TRUE);
            w.endMessage();
        }
    }

    // ------------------------------------------------------------------ delete

    /**
     * RTM_DELLINK on the link's ifindex. Deleting a veth end deletes its peer.
     *
     * <p>Equivalent to: {@code ip link del dev NAME}.
     */
    public static void deleteLink(MessageWriter w, DeleteLink c, LinkIndexResolver links) {
        int index = links.indexOf(c.name());
        w.beginMessage(RTM_DELLINK, NLM_F_ACK);
        ifinfomsg(w, index, null);
        w.endMessage();
    }

    /**
     * RTM_DELLINK on an ifindex netlib chose at creation: undoes a create whose follow-up requests
     * failed. Deleting a veth end deletes its peer. Equivalent to: {@code ip link del dev NAME}.
     */
    static void deleteLinkByIndex(MessageWriter w, int index) {
        w.beginMessage(RTM_DELLINK, NLM_F_ACK);
        ifinfomsg(w, index, null);
        w.endMessage();
    }

    /**
     * RTM_DELLINK with ifindex 0 and IFLA_GROUP: the kernel deletes every link of the group in one
     * batch (rtnl_group_dellink), far cheaper than one request per link.
     *
     * <p>Equivalent to: {@code ip link del group GROUP}.
     */
    public static void deleteLinkGroup(MessageWriter w, DeleteLinkGroup c) {
        w.beginMessage(RTM_DELLINK, NLM_F_ACK);
        ifinfomsg(w, 0, null);
        w.attrU32(IFLA_GROUP, c.group());
        w.endMessage();
    }

    // ------------------------------------------------------------------ get

    /** RTM_GETLINK for one link by name (answered with one RTM_NEWLINK, or ENODEV). Equivalent to: {@code ip link show dev NAME}. */
    public static void getLinkByName(MessageWriter w, String name) {
        w.beginMessage(RTM_GETLINK, NLM_F_ACK);
        ifinfomsg(w, 0, null);
        w.attrString(IFLA_IFNAME, name);
        w.endMessage();
    }

    /** RTM_GETLINK for one link by index. */
    public static void getLinkByIndex(MessageWriter w, int index) {
        w.beginMessage(RTM_GETLINK, NLM_F_ACK);
        ifinfomsg(w, index, null);
        w.endMessage();
    }

    // ------------------------------------------------------------------ parts

    /** struct ifinfomsg: AF_UNSPEC, type 0, index, IFF_UP in flags/change only when {@code up} is set. */
    static void ifinfomsg(MessageWriter w, int index, Boolean up) {
        w.putU8(0).putU8(0).putU16(0).putU32(index);
        w.putU32(Boolean.TRUE.equals(up) ? IFF_UP : 0);
        w.putU32(up != null ? IFF_UP : 0);
    }

    /** RTM_GETLINK by name in the namespace with id {@code nsid}. */
    public static void getLinkByName(MessageWriter w, String name, int nsid) {
        w.beginMessage(RTM_GETLINK, NLM_F_ACK);
        ifinfomsg(w, 0, null);
        w.attrS32(IflaConstants.IFLA_TARGET_NETNSID, nsid);
        w.attrString(IFLA_IFNAME, name);
        w.endMessage();
    }

    private static void generic(MessageWriter w, LinkAttributes a, int master, boolean noMaster, NamespaceFds fds) {
        if (a.txQueueLength() != null) {
            w.attrU32(IFLA_TXQLEN, a.txQueueLength());
        }
        if (a.mac() != null) {
            w.attrBytes(IFLA_ADDRESS, a.mac().bytes());
        }
        if (a.mtu() != null) {
            w.attrU32(IFLA_MTU, a.mtu());
        }
        if (a.netns() != null) {
            w.attrU32(IFLA_NET_NS_FD, fds.fdOf(a.netns()));
        }
        if (a.group() != null) {
            w.attrU32(IFLA_GROUP, a.group());
        }
        if (master != 0) {
            w.attrU32(IFLA_MASTER, master);
        } else if (noMaster) {
            w.attrU32(IFLA_MASTER, 0);
        }
    }

    /** IFLA_AF_SPEC { AF_INET6 { IFLA_INET6_ADDR_GEN_MODE u8 } } when set. */
    private static void addrGenMode(MessageWriter w, LinkAttributes a) {
        if (a.addrGenMode() == null) {
            return;
        }
        int spec = w.beginNested(IFLA_AF_SPEC);
        int inet6 = w.beginNested(AF_INET6);
        w.attrU8(IflaInet6Constants.IFLA_INET6_ADDR_GEN_MODE, a.addrGenMode().kernelValue());
        w.endNested(inet6);
        w.endNested(spec);
    }

    private static void linkInfo(MessageWriter w, LinkKindSpec kind, int vxlanDev, NamespaceFds fds, int peerIndex) {
        int info = w.beginNested(IFLA_LINKINFO);
        w.attrStringNoNul(IFLA_INFO_KIND, kind.kind()); // as iproute2 does; the kernel's policy is NLA_STRING
        kind.accept(new LinkKindSpec.Visitor<Void>() {
            @Override
            public Void bridge(BridgeSpec b) {
                bridgeData(w, b);
                return null;
            }

            @Override
            public Void veth(VethSpec v) {
                vethData(w, v, fds, peerIndex);
                return null;
            }

            @Override
            public Void vxlan(VxlanSpec x) {
                vxlanData(w, x, vxlanDev);
                return null;
            }

            @Override
            public Void macvlan(MacvlanSpec m) {
                if (m.mode() != null) {
                    int data = w.beginNested(IFLA_INFO_DATA);
                    w.attrU32(IflaMacvlanConstants.IFLA_MACVLAN_MODE, m.mode().kernelValue());
                    w.endNested(data);
                }
                return null;
            }

            @Override
            public Void dummy(DummySpec d) {
                return null; // no data
            }
        });
        w.endNested(info);
    }

    private static void bridgeData(MessageWriter w, BridgeSpec b) {
        if (b.stp() == null && b.vlanFiltering() == null) {
            return;
        }
        int data = w.beginNested(IFLA_INFO_DATA);
        if (b.stp() != null) {
            w.attrU32(IflaBrConstants.IFLA_BR_STP_STATE, b.stp() ? 1 : 0);
        }
        if (b.vlanFiltering() != null) {
            w.attrU8(IflaBrConstants.IFLA_BR_VLAN_FILTERING, b.vlanFiltering() ? 1 : 0);
        }
        w.endNested(data);
    }

    private static void vethData(MessageWriter w, VethSpec v, NamespaceFds fds, int peerIndex) {
        LinkAttributes p = v.peer();
        if (v.peerName() == null && p.isEmpty() && peerIndex == 0) {
            return; // the kernel names the peer vethN
        }
        int data = w.beginNested(IFLA_INFO_DATA);
        int peer = w.beginNested(VethInfoConstants.VETH_INFO_PEER);
        ifinfomsg(w, peerIndex, null); // peer up: a follow-up request (ENOTCONN here, see class comment)
        generic(w, p, 0, false, fds); // peer master: a follow-up request (not applied to peers)
        if (v.peerName() != null) {
            w.attrString(IFLA_IFNAME, v.peerName());
        }
        w.endNested(peer);
        w.endNested(data);
    }

    private static void vxlanData(MessageWriter w, VxlanSpec x, int dev) {
        int data = w.beginNested(IFLA_INFO_DATA);
        if (dev != 0) {
            w.attrU32(IflaVxlanConstants.IFLA_VXLAN_LINK, dev);
        }
        if (x.ttl() != null) {
            w.attrU8(IflaVxlanConstants.IFLA_VXLAN_TTL, x.ttl());
        }
        flag(w, IflaVxlanConstants.IFLA_VXLAN_PROXY, x.proxy());
        flag(w, IflaVxlanConstants.IFLA_VXLAN_L2MISS, x.l2miss());
        flag(w, IflaVxlanConstants.IFLA_VXLAN_L3MISS, x.l3miss());
        w.attrU32(IflaVxlanConstants.IFLA_VXLAN_ID, x.vni());
        if (x.local() != null) {
            w.attrBytes(x.local() instanceof Inet4Address ? IflaVxlanConstants.IFLA_VXLAN_LOCAL
                    : IflaVxlanConstants.IFLA_VXLAN_LOCAL6, x.local().getAddress());
        }
        InetAddress peer = x.remote() != null ? x.remote() : x.group();
        if (peer != null) {
            w.attrBytes(peer instanceof Inet4Address ? IflaVxlanConstants.IFLA_VXLAN_GROUP
                    : IflaVxlanConstants.IFLA_VXLAN_GROUP6, peer.getAddress());
        }
        flag(w, IflaVxlanConstants.IFLA_VXLAN_LEARNING, x.learning());
        if (x.port() != null) {
            w.attrU16Be(IflaVxlanConstants.IFLA_VXLAN_PORT, x.port()); // network order (vxlan_nl2conf: nla_get_be16)
        }
        w.endNested(data);
    }

    private static void flag(MessageWriter w, int type, Boolean v) {
        if (v != null) {
            w.attrU8(type, v ? 1 : 0);
        }
    }
}
