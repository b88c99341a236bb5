package dev.netlib.linux.internal.rtnl;

import dev.netlib.linux.internal.netlink.AttributeNames;

/**
 * Interface address messages (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR): {@code struct ifaddrmsg}
 * and the {@code IFA_*} attributes of {@code linux/if_addr.h} (do not renumber).
 */
public final class IfaConstants {
    private IfaConstants() {}

    /** sizeof(struct ifaddrmsg): u8 family, u8 prefixlen, u8 flags, u8 scope, u32 index. */
    public static final int IFADDRMSG_SIZE = 8;

    public static final int IFA_UNSPEC = 0;
    /** The prefix address; for point-to-point links the peer's address. */
    public static final int IFA_ADDRESS = 1;
    /** The local interface address (what {@code ip addr add} means). */
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_BROADCAST = 4;
    public static final int IFA_ANYCAST = 5;
    public static final int IFA_CACHEINFO = 6;
    public static final int IFA_MULTICAST = 7;
    /** u32 extension of ifa_flags. */
    public static final int IFA_FLAGS = 8;
    public static final int IFA_RT_PRIORITY = 9;
    public static final int IFA_TARGET_NETNSID = 10;
    public static final int IFA_PROTO = 11;

    // ifa_flags / IFA_FLAGS bits
    public static final int IFA_F_SECONDARY = 0x01;
    public static final int IFA_F_NODAD = 0x02;
    public static final int IFA_F_OPTIMISTIC = 0x04;
    public static final int IFA_F_DADFAILED = 0x08;
    public static final int IFA_F_HOMEADDRESS = 0x10;
    public static final int IFA_F_DEPRECATED = 0x20;
    public static final int IFA_F_TENTATIVE = 0x40;
    public static final int IFA_F_PERMANENT = 0x80;
    public static final int IFA_F_MANAGETEMPADDR = 0x100;
    public static final int IFA_F_NOPREFIXROUTE = 0x200;
    public static final int IFA_F_MCAUTOJOIN = 0x400;
    public static final int IFA_F_STABLE_PRIVACY = 0x800;

    private static final String[] ATTRS = {"IFA_UNSPEC", "IFA_ADDRESS", "IFA_LOCAL", "IFA_LABEL", "IFA_BROADCAST",
        "IFA_ANYCAST", "IFA_CACHEINFO", "IFA_MULTICAST", "IFA_FLAGS", "IFA_RT_PRIORITY", "IFA_TARGET_NETNSID",
        "IFA_PROTO"};

    /** Attribute names for malformed-message errors (the IFA_F_ flags share the prefix, so listed explicitly). */
    public static final AttributeNames NAMES = type -> type >= 0 && type < ATTRS.length ? ATTRS[type] : "IFA_?" + type;
}
