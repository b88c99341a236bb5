package dev.netlib.linux.internal.rtnl;

import dev.netlib.linux.internal.netlink.AttributeNames;

/**
 * Neighbour and bridge FDB messages (RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH with family
 * AF_INET, AF_INET6 or AF_BRIDGE): {@code struct ndmsg}, the {@code NDA_*} attributes, and the
 * {@code NTF_*} flags and {@code NUD_*} states of {@code linux/neighbour.h} (do not renumber).
 */
public final class NdaConstants {
    private NdaConstants() {}

    /**
     * sizeof(struct ndmsg): u8 family, u8 pad1, u16 pad2, s32 ifindex, u16 state, u8 flags,
     * u8 type.
     */
    public static final int NDMSG_SIZE = 12;

    public static final int NDA_UNSPEC = 0;
    public static final int NDA_DST = 1;
    public static final int NDA_LLADDR = 2;
    public static final int NDA_CACHEINFO = 3;
    public static final int NDA_PROBES = 4;
    public static final int NDA_VLAN = 5;
    public static final int NDA_PORT = 6;
    public static final int NDA_VNI = 7;
    public static final int NDA_IFINDEX = 8;
    /** FDB: the bridge an NTF_MASTER entry belongs to. */
    public static final int NDA_MASTER = 9;
    public static final int NDA_LINK_NETNSID = 10;
    public static final int NDA_SRC_VNI = 11;
    public static final int NDA_PROTOCOL = 12;
    public static final int NDA_NH_ID = 13;
    public static final int NDA_FDB_EXT_ATTRS = 14;
    public static final int NDA_FLAGS_EXT = 15;
    public static final int NDA_NDM_STATE_MASK = 16;
    public static final int NDA_NDM_FLAGS_MASK = 17;

    // ndm_flags
    public static final int NTF_USE = 1;
    /** FDB: the device's own table (a vxlan's MAC to VTEP map). */
    public static final int NTF_SELF = 1 << 1;
    /** FDB: the table of the bridge the device is a port of. */
    public static final int NTF_MASTER = 1 << 2;
    public static final int NTF_PROXY = 1 << 3;
    public static final int NTF_EXT_LEARNED = 1 << 4;
    public static final int NTF_OFFLOADED = 1 << 5;
    public static final int NTF_STICKY = 1 << 6;
    public static final int NTF_ROUTER = 1 << 7;

    // ndm_state
    public static final int NUD_NONE = 0x00;
    public static final int NUD_INCOMPLETE = 0x01;
    public static final int NUD_REACHABLE = 0x02;
    public static final int NUD_STALE = 0x04;
    public static final int NUD_DELAY = 0x08;
    public static final int NUD_PROBE = 0x10;
    public static final int NUD_FAILED = 0x20;
    public static final int NUD_NOARP = 0x40;
    public static final int NUD_PERMANENT = 0x80;

    public static final AttributeNames NAMES = AttributeNames.of(NdaConstants.class, "NDA_");
}
