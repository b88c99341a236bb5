package dev.netlib.linux.internal.rtnl;

import dev.netlib.linux.internal.netlink.AttributeNames;

/**
 * Bridge attributes nested in IFLA_INFO_DATA when IFLA_INFO_KIND is {@code bridge} ({@code IFLA_BR_*}).
 * Values generated from the kernel UAPI header {@code linux/if_link.h} (do not renumber).
 */
public final class IflaBrConstants {
    private IflaBrConstants() {}

    public static final int IFLA_BR_FORWARD_DELAY = 1;
    public static final int IFLA_BR_HELLO_TIME = 2;
    public static final int IFLA_BR_MAX_AGE = 3;
    public static final int IFLA_BR_AGEING_TIME = 4;
    public static final int IFLA_BR_STP_STATE = 5;
    public static final int IFLA_BR_PRIORITY = 6;
    public static final int IFLA_BR_VLAN_FILTERING = 7;
    public static final int IFLA_BR_VLAN_PROTOCOL = 8;
    public static final int IFLA_BR_GROUP_FWD_MASK = 9;
    public static final int IFLA_BR_ROOT_ID = 10;
    public static final int IFLA_BR_BRIDGE_ID = 11;
    public static final int IFLA_BR_ROOT_PORT = 12;
    public static final int IFLA_BR_ROOT_PATH_COST = 13;
    public static final int IFLA_BR_TOPOLOGY_CHANGE = 14;
    public static final int IFLA_BR_TOPOLOGY_CHANGE_DETECTED = 15;
    public static final int IFLA_BR_HELLO_TIMER = 16;
    public static final int IFLA_BR_TCN_TIMER = 17;
    public static final int IFLA_BR_TOPOLOGY_CHANGE_TIMER = 18;
    public static final int IFLA_BR_GC_TIMER = 19;
    public static final int IFLA_BR_GROUP_ADDR = 20;
    public static final int IFLA_BR_FDB_FLUSH = 21;
    public static final int IFLA_BR_MCAST_ROUTER = 22;
    public static final int IFLA_BR_MCAST_SNOOPING = 23;
    public static final int IFLA_BR_MCAST_QUERY_USE_IFADDR = 24;
    public static final int IFLA_BR_MCAST_QUERIER = 25;
    public static final int IFLA_BR_MCAST_HASH_ELASTICITY = 26;
    public static final int IFLA_BR_MCAST_LAST_MEMBER_CNT = 28;
    public static final int IFLA_BR_MCAST_STARTUP_QUERY_CNT = 29;
    public static final int IFLA_BR_MCAST_LAST_MEMBER_INTVL = 30;
    public static final int IFLA_BR_MCAST_MEMBERSHIP_INTVL = 31;
    public static final int IFLA_BR_MCAST_QUERIER_INTVL = 32;
    public static final int IFLA_BR_MCAST_QUERY_INTVL = 33;
    public static final int IFLA_BR_MCAST_QUERY_RESPONSE_INTVL = 34;
    public static final int IFLA_BR_MCAST_STARTUP_QUERY_INTVL = 35;
    public static final int IFLA_BR_NF_CALL_IPTABLES = 36;
    public static final int IFLA_BR_NF_CALL_IP6TABLES = 37;
    public static final int IFLA_BR_NF_CALL_ARPTABLES = 38;
    public static final int IFLA_BR_VLAN_DEFAULT_PVID = 39;
    public static final int IFLA_BR_PAD = 40;
    public static final int IFLA_BR_VLAN_STATS_ENABLED = 41;
    public static final int IFLA_BR_MCAST_STATS_ENABLED = 42;
    public static final int IFLA_BR_MCAST_IGMP_VERSION = 43;
    public static final int IFLA_BR_MCAST_MLD_VERSION = 44;
    public static final int IFLA_BR_VLAN_STATS_PER_PORT = 45;
    public static final int IFLA_BR_MULTI_BOOLOPT = 46;
    public static final int IFLA_BR_MCAST_QUERIER_STATE = 47;

    /** Kernel names of this attribute space, for error paths. */
    public static final AttributeNames NAMES = AttributeNames.of(IflaBrConstants.class, "IFLA_BR_");
}
