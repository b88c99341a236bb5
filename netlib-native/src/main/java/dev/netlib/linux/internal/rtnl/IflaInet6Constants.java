package dev.netlib.linux.internal.rtnl;

import dev.netlib.linux.internal.netlink.AttributeNames;

/**
 * IPv6 per-link attributes nested in IFLA_AF_SPEC / AF_INET6 ({@code IFLA_INET6_*}).
 * Values generated from the kernel UAPI header {@code linux/if_link.h} (do not renumber).
 */
public final class IflaInet6Constants {
    private IflaInet6Constants() {}

    public static final int IFLA_INET6_FLAGS = 1;
    public static final int IFLA_INET6_CONF = 2;
    public static final int IFLA_INET6_STATS = 3;
    public static final int IFLA_INET6_MCAST = 4;
    public static final int IFLA_INET6_CACHEINFO = 5;
    public static final int IFLA_INET6_ICMP6STATS = 6;
    public static final int IFLA_INET6_TOKEN = 7;
    public static final int IFLA_INET6_ADDR_GEN_MODE = 8;
    public static final int IFLA_INET6_RA_MTU = 9;

    /** Kernel names of this attribute space, for error paths. */
    public static final AttributeNames NAMES = AttributeNames.of(IflaInet6Constants.class, "IFLA_INET6_");
}
