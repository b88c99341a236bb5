package dev.netlib.linux.internal.nft.uapi;

/**
 * nf_tables and nfnetlink constants with their kernel names, from
 * {@code linux/netfilter/nf_tables.h}, {@code nfnetlink.h}, {@code netfilter.h}, {@code nf_nat.h}
 * and {@code nf_conntrack_common.h} (values printed by a C program compiled against the uapi headers; they are ABI).
 */
public final class NftConstants {
    private NftConstants() {}

    // nfnetlink.h
    public static final int NFNETLINK_V0 = 0;
    public static final int NFNL_SUBSYS_NFTABLES = 10;
    /** NLMSG_MIN_TYPE: opens a transaction; nfgenmsg.res_id = NFNL_SUBSYS_NFTABLES (big-endian). */
    public static final int NFNL_MSG_BATCH_BEGIN = 0x10;
    public static final int NFNL_MSG_BATCH_END = 0x11;
    /** Attribute of BATCH_BEGIN: the generation the batch was computed against (kernel 5.x+); a mismatch fails with ERESTART. */
    public static final int NFNL_BATCH_GENID = 1;

    // nf_tables.h, not in enums
    public static final int NFTA_EXPR_NAME = 1;
    public static final int NFTA_EXPR_DATA = 2;
    public static final int NFT_CONTINUE = -1;
    public static final int NFT_BREAK = -2;
    public static final int NFT_JUMP = -3;
    public static final int NFT_GOTO = -4;
    public static final int NFT_RETURN = -5;
    public static final int NFTA_FIB_F_SADDR = 1 << 0;
    public static final int NFTA_FIB_F_DADDR = 1 << 1;
    public static final int NFTA_FIB_F_MARK = 1 << 2;
    public static final int NFTA_FIB_F_IIF = 1 << 3;
    public static final int NFTA_FIB_F_OIF = 1 << 4;
    public static final int NFTA_FIB_F_PRESENT = 1 << 5;

    // netfilter.h
    public static final int NF_DROP = 0;
    public static final int NF_ACCEPT = 1;
    public static final int NF_INET_PRE_ROUTING = 0;
    public static final int NF_INET_LOCAL_IN = 1;
    public static final int NF_INET_FORWARD = 2;
    public static final int NF_INET_LOCAL_OUT = 3;
    public static final int NF_INET_POST_ROUTING = 4;
    public static final int NFPROTO_INET = 1;
    public static final int NFPROTO_IPV4 = 2;
    public static final int NFPROTO_BRIDGE = 7;
    public static final int NFPROTO_IPV6 = 10;

    // nf_nat.h
    public static final int NF_NAT_RANGE_MAP_IPS = 1 << 0;
    public static final int NF_NAT_RANGE_PROTO_SPECIFIED = 1 << 1;

    // nf_conntrack_common.h
    public static final int IPS_SRC_NAT = 1 << 4;
    public static final int IPS_DST_NAT = 1 << 5;

    /** RTN_LOCAL (rtnetlink.h): what {@code fib daddr type local} compares. */
    public static final int RTN_LOCAL = 2;
    /** ERESTART: the kernel's answer to a batch whose NFNL_BATCH_GENID is stale. */
    public static final int ERESTART = 85;

    // enum nf_tables_msg_types: message types (nfnetlink subsystem NFNL_SUBSYS_NFTABLES)
    public static final int NFT_MSG_NEWTABLE = 0;
    public static final int NFT_MSG_GETTABLE = 1;
    public static final int NFT_MSG_DELTABLE = 2;
    public static final int NFT_MSG_NEWCHAIN = 3;
    public static final int NFT_MSG_GETCHAIN = 4;
    public static final int NFT_MSG_DELCHAIN = 5;
    public static final int NFT_MSG_NEWRULE = 6;
    public static final int NFT_MSG_GETRULE = 7;
    public static final int NFT_MSG_DELRULE = 8;
    public static final int NFT_MSG_NEWSET = 9;
    public static final int NFT_MSG_GETSET = 10;
    public static final int NFT_MSG_DELSET = 11;
    public static final int NFT_MSG_NEWSETELEM = 12;
    public static final int NFT_MSG_GETSETELEM = 13;
    public static final int NFT_MSG_DELSETELEM = 14;
    public static final int NFT_MSG_NEWGEN = 15;
    public static final int NFT_MSG_GETGEN = 16;
    public static final int NFT_MSG_TRACE = 17;
    public static final int NFT_MSG_NEWOBJ = 18;
    public static final int NFT_MSG_GETOBJ = 19;
    public static final int NFT_MSG_DELOBJ = 20;
    public static final int NFT_MSG_GETOBJ_RESET = 21;
    public static final int NFT_MSG_NEWFLOWTABLE = 22;
    public static final int NFT_MSG_GETFLOWTABLE = 23;
    public static final int NFT_MSG_DELFLOWTABLE = 24;
    public static final int NFT_MSG_MAX = 25;

    // enum nft_table_attributes: NFT_MSG_*TABLE attributes
    public static final int NFTA_TABLE_UNSPEC = 0;
    public static final int NFTA_TABLE_NAME = 1;
    public static final int NFTA_TABLE_FLAGS = 2;
    public static final int NFTA_TABLE_USE = 3;
    public static final int NFTA_TABLE_HANDLE = 4;
    public static final int NFTA_TABLE_PAD = 5;
    public static final int NFTA_TABLE_USERDATA = 6;
    public static final int NFTA_TABLE_OWNER = 7;

    // enum nft_chain_attributes: NFT_MSG_*CHAIN attributes
    public static final int NFTA_CHAIN_UNSPEC = 0;
    public static final int NFTA_CHAIN_TABLE = 1;
    public static final int NFTA_CHAIN_HANDLE = 2;
    public static final int NFTA_CHAIN_NAME = 3;
    public static final int NFTA_CHAIN_HOOK = 4;
    public static final int NFTA_CHAIN_POLICY = 5;
    public static final int NFTA_CHAIN_USE = 6;
    public static final int NFTA_CHAIN_TYPE = 7;
    public static final int NFTA_CHAIN_COUNTERS = 8;
    public static final int NFTA_CHAIN_PAD = 9;
    public static final int NFTA_CHAIN_FLAGS = 10;
    public static final int NFTA_CHAIN_ID = 11;
    public static final int NFTA_CHAIN_USERDATA = 12;

    // enum nft_hook_attributes: NFTA_CHAIN_HOOK nested attributes
    public static final int NFTA_HOOK_UNSPEC = 0;
    public static final int NFTA_HOOK_HOOKNUM = 1;
    public static final int NFTA_HOOK_PRIORITY = 2;
    public static final int NFTA_HOOK_DEV = 3;
    public static final int NFTA_HOOK_DEVS = 4;

    // enum nft_rule_attributes: NFT_MSG_*RULE attributes
    public static final int NFTA_RULE_UNSPEC = 0;
    public static final int NFTA_RULE_TABLE = 1;
    public static final int NFTA_RULE_CHAIN = 2;
    public static final int NFTA_RULE_HANDLE = 3;
    public static final int NFTA_RULE_EXPRESSIONS = 4;
    public static final int NFTA_RULE_COMPAT = 5;
    public static final int NFTA_RULE_POSITION = 6;
    public static final int NFTA_RULE_USERDATA = 7;
    public static final int NFTA_RULE_PAD = 8;
    public static final int NFTA_RULE_ID = 9;
    public static final int NFTA_RULE_POSITION_ID = 10;
    public static final int NFTA_RULE_CHAIN_ID = 11;

    // enum nft_list_attributes: list of expressions
    public static final int NFTA_LIST_UNSPEC = 0;
    public static final int NFTA_LIST_ELEM = 1;

    // enum nft_immediate_attributes: immediate expression
    public static final int NFTA_IMMEDIATE_UNSPEC = 0;
    public static final int NFTA_IMMEDIATE_DREG = 1;
    public static final int NFTA_IMMEDIATE_DATA = 2;

    // enum nft_data_attributes: register data
    public static final int NFTA_DATA_UNSPEC = 0;
    public static final int NFTA_DATA_VALUE = 1;
    public static final int NFTA_DATA_VERDICT = 2;

    // enum nft_verdict_attributes: verdicts
    public static final int NFTA_VERDICT_UNSPEC = 0;
    public static final int NFTA_VERDICT_CODE = 1;
    public static final int NFTA_VERDICT_CHAIN = 2;
    public static final int NFTA_VERDICT_CHAIN_ID = 3;

    // enum nft_registers: registers (the 16-byte ones nft uses: NFT_REG_1..4)
    public static final int NFT_REG_VERDICT = 0;
    public static final int NFT_REG_1 = 1;
    public static final int NFT_REG_2 = 2;
    public static final int NFT_REG_3 = 3;
    public static final int NFT_REG_4 = 4;
    public static final int NFT_REG32_00 = 8;
    public static final int NFT_REG32_01 = 9;
    public static final int NFT_REG32_02 = 10;
    public static final int NFT_REG32_03 = 11;
    public static final int NFT_REG32_04 = 12;
    public static final int NFT_REG32_05 = 13;
    public static final int NFT_REG32_06 = 14;
    public static final int NFT_REG32_07 = 15;
    public static final int NFT_REG32_08 = 16;
    public static final int NFT_REG32_09 = 17;
    public static final int NFT_REG32_10 = 18;
    public static final int NFT_REG32_11 = 19;
    public static final int NFT_REG32_12 = 20;
    public static final int NFT_REG32_13 = 21;
    public static final int NFT_REG32_14 = 22;
    public static final int NFT_REG32_15 = 23;

    // enum nft_bitwise_attributes: bitwise expression
    public static final int NFTA_BITWISE_UNSPEC = 0;
    public static final int NFTA_BITWISE_SREG = 1;
    public static final int NFTA_BITWISE_DREG = 2;
    public static final int NFTA_BITWISE_LEN = 3;
    public static final int NFTA_BITWISE_MASK = 4;
    public static final int NFTA_BITWISE_XOR = 5;
    public static final int NFTA_BITWISE_OP = 6;
    public static final int NFTA_BITWISE_DATA = 7;

    // enum nft_cmp_ops: cmp operators
    public static final int NFT_CMP_EQ = 0;
    public static final int NFT_CMP_NEQ = 1;
    public static final int NFT_CMP_LT = 2;
    public static final int NFT_CMP_LTE = 3;
    public static final int NFT_CMP_GT = 4;
    public static final int NFT_CMP_GTE = 5;

    // enum nft_cmp_attributes: cmp expression
    public static final int NFTA_CMP_UNSPEC = 0;
    public static final int NFTA_CMP_SREG = 1;
    public static final int NFTA_CMP_OP = 2;
    public static final int NFTA_CMP_DATA = 3;

    // enum nft_payload_bases: payload bases
    public static final int NFT_PAYLOAD_LL_HEADER = 0;
    public static final int NFT_PAYLOAD_NETWORK_HEADER = 1;
    public static final int NFT_PAYLOAD_TRANSPORT_HEADER = 2;
    public static final int NFT_PAYLOAD_INNER_HEADER = 3;

    // enum nft_payload_attributes: payload expression
    public static final int NFTA_PAYLOAD_UNSPEC = 0;
    public static final int NFTA_PAYLOAD_DREG = 1;
    public static final int NFTA_PAYLOAD_BASE = 2;
    public static final int NFTA_PAYLOAD_OFFSET = 3;
    public static final int NFTA_PAYLOAD_LEN = 4;
    public static final int NFTA_PAYLOAD_SREG = 5;
    public static final int NFTA_PAYLOAD_CSUM_TYPE = 6;
    public static final int NFTA_PAYLOAD_CSUM_OFFSET = 7;
    public static final int NFTA_PAYLOAD_CSUM_FLAGS = 8;

    // enum nft_meta_keys: meta keys
    public static final int NFT_META_LEN = 0;
    public static final int NFT_META_PROTOCOL = 1;
    public static final int NFT_META_PRIORITY = 2;
    public static final int NFT_META_MARK = 3;
    public static final int NFT_META_IIF = 4;
    public static final int NFT_META_OIF = 5;
    public static final int NFT_META_IIFNAME = 6;
    public static final int NFT_META_OIFNAME = 7;
    public static final int NFT_META_IFTYPE = 8;
    public static final int NFT_META_SKUID = 10;
    public static final int NFT_META_SKGID = 11;
    public static final int NFT_META_NFTRACE = 12;
    public static final int NFT_META_RTCLASSID = 13;
    public static final int NFT_META_SECMARK = 14;
    public static final int NFT_META_NFPROTO = 15;
    public static final int NFT_META_L4PROTO = 16;
    public static final int NFT_META_BRI_IIFNAME = 17;
    public static final int NFT_META_BRI_OIFNAME = 18;
    public static final int NFT_META_PKTTYPE = 19;
    public static final int NFT_META_CPU = 20;
    public static final int NFT_META_IIFGROUP = 21;
    public static final int NFT_META_OIFGROUP = 22;
    public static final int NFT_META_CGROUP = 23;
    public static final int NFT_META_PRANDOM = 24;
    public static final int NFT_META_SECPATH = 25;
    public static final int NFT_META_IIFKIND = 26;
    public static final int NFT_META_OIFKIND = 27;
    public static final int NFT_META_BRI_IIFPVID = 28;
    public static final int NFT_META_BRI_IIFVPROTO = 29;
    public static final int NFT_META_TIME_NS = 30;
    public static final int NFT_META_TIME_DAY = 31;
    public static final int NFT_META_TIME_HOUR = 32;
    public static final int NFT_META_SDIF = 33;
    public static final int NFT_META_SDIFNAME = 34;

    // enum nft_meta_attributes: meta expression
    public static final int NFTA_META_UNSPEC = 0;
    public static final int NFTA_META_DREG = 1;
    public static final int NFTA_META_KEY = 2;
    public static final int NFTA_META_SREG = 3;

    // enum nft_ct_keys: conntrack keys
    public static final int NFT_CT_STATE = 0;
    public static final int NFT_CT_DIRECTION = 1;
    public static final int NFT_CT_STATUS = 2;
    public static final int NFT_CT_MARK = 3;
    public static final int NFT_CT_SECMARK = 4;
    public static final int NFT_CT_EXPIRATION = 5;
    public static final int NFT_CT_HELPER = 6;
    public static final int NFT_CT_L3PROTOCOL = 7;
    public static final int NFT_CT_SRC = 8;
    public static final int NFT_CT_DST = 9;
    public static final int NFT_CT_PROTOCOL = 10;
    public static final int NFT_CT_PROTO_SRC = 11;
    public static final int NFT_CT_PROTO_DST = 12;
    public static final int NFT_CT_LABELS = 13;
    public static final int NFT_CT_PKTS = 14;
    public static final int NFT_CT_BYTES = 15;
    public static final int NFT_CT_AVGPKT = 16;
    public static final int NFT_CT_ZONE = 17;
    public static final int NFT_CT_EVENTMASK = 18;
    public static final int NFT_CT_SRC_IP = 19;
    public static final int NFT_CT_DST_IP = 20;
    public static final int NFT_CT_SRC_IP6 = 21;
    public static final int NFT_CT_DST_IP6 = 22;
    public static final int NFT_CT_ID = 23;

    // enum nft_ct_attributes: ct expression
    public static final int NFTA_CT_UNSPEC = 0;
    public static final int NFTA_CT_DREG = 1;
    public static final int NFTA_CT_KEY = 2;
    public static final int NFTA_CT_DIRECTION = 3;
    public static final int NFTA_CT_SREG = 4;

    // enum nft_nat_types: nat types
    public static final int NFT_NAT_SNAT = 0;
    public static final int NFT_NAT_DNAT = 1;

    // enum nft_nat_attributes: nat expression
    public static final int NFTA_NAT_UNSPEC = 0;
    public static final int NFTA_NAT_TYPE = 1;
    public static final int NFTA_NAT_FAMILY = 2;
    public static final int NFTA_NAT_REG_ADDR_MIN = 3;
    public static final int NFTA_NAT_REG_ADDR_MAX = 4;
    public static final int NFTA_NAT_REG_PROTO_MIN = 5;
    public static final int NFTA_NAT_REG_PROTO_MAX = 6;
    public static final int NFTA_NAT_FLAGS = 7;

    // enum nft_masq_attributes: masq expression
    public static final int NFTA_MASQ_UNSPEC = 0;
    public static final int NFTA_MASQ_FLAGS = 1;
    public static final int NFTA_MASQ_REG_PROTO_MIN = 2;
    public static final int NFTA_MASQ_REG_PROTO_MAX = 3;

    // enum nft_fib_attributes: fib expression
    public static final int NFTA_FIB_UNSPEC = 0;
    public static final int NFTA_FIB_DREG = 1;
    public static final int NFTA_FIB_RESULT = 2;
    public static final int NFTA_FIB_FLAGS = 3;

    // enum nft_fib_result: fib results
    public static final int NFT_FIB_RESULT_UNSPEC = 0;
    public static final int NFT_FIB_RESULT_OIF = 1;
    public static final int NFT_FIB_RESULT_OIFNAME = 2;
    public static final int NFT_FIB_RESULT_ADDRTYPE = 3;

    // enum nft_counter_attributes: counter expression
    public static final int NFTA_COUNTER_UNSPEC = 0;
    public static final int NFTA_COUNTER_BYTES = 1;
    public static final int NFTA_COUNTER_PACKETS = 2;
    public static final int NFTA_COUNTER_PAD = 3;

    // enum nft_gen_attributes: ruleset generation
    public static final int NFTA_GEN_UNSPEC = 0;
    public static final int NFTA_GEN_ID = 1;
    public static final int NFTA_GEN_PROC_PID = 2;
    public static final int NFTA_GEN_PROC_NAME = 3;

    // enum nft_lookup_attributes: lookup expression
    public static final int NFTA_LOOKUP_UNSPEC = 0;
    public static final int NFTA_LOOKUP_SET = 1;
    public static final int NFTA_LOOKUP_SREG = 2;
    public static final int NFTA_LOOKUP_DREG = 3;
    public static final int NFTA_LOOKUP_SET_ID = 4;
    public static final int NFTA_LOOKUP_FLAGS = 5;

    // ---- sets and maps (include/uapi/linux/netfilter/nf_tables.h) ----

    /** enum nft_set_flags. */
    public static final int NFT_SET_ANONYMOUS = 0x1;
    public static final int NFT_SET_CONSTANT = 0x2;
    public static final int NFT_SET_INTERVAL = 0x4;
    public static final int NFT_SET_MAP = 0x8;
    public static final int NFT_SET_TIMEOUT = 0x10;
    public static final int NFT_SET_EVAL = 0x20;
    public static final int NFT_SET_OBJECT = 0x40;
    public static final int NFT_SET_CONCAT = 0x80;

    /** enum nft_set_attributes. */
    public static final int NFTA_SET_UNSPEC = 0;
    public static final int NFTA_SET_TABLE = 1;
    public static final int NFTA_SET_NAME = 2;
    public static final int NFTA_SET_FLAGS = 3;
    public static final int NFTA_SET_KEY_TYPE = 4;
    public static final int NFTA_SET_KEY_LEN = 5;
    public static final int NFTA_SET_DATA_TYPE = 6;
    public static final int NFTA_SET_DATA_LEN = 7;
    public static final int NFTA_SET_POLICY = 8;
    public static final int NFTA_SET_DESC = 9;
    public static final int NFTA_SET_ID = 10;
    public static final int NFTA_SET_TIMEOUT = 11;
    public static final int NFTA_SET_GC_INTERVAL = 12;
    public static final int NFTA_SET_USERDATA = 13;
    public static final int NFTA_SET_PAD = 14;
    public static final int NFTA_SET_OBJ_TYPE = 15;
    public static final int NFTA_SET_HANDLE = 16;

    /** enum nft_set_desc_attributes. */
    public static final int NFTA_SET_DESC_UNSPEC = 0;
    public static final int NFTA_SET_DESC_SIZE = 1;
    public static final int NFTA_SET_DESC_CONCAT = 2;

    /** enum nft_set_field_attributes. */
    public static final int NFTA_SET_FIELD_UNSPEC = 0;
    public static final int NFTA_SET_FIELD_LEN = 1;

    /** enum nft_set_elem_list_attributes. */
    public static final int NFTA_SET_ELEM_LIST_UNSPEC = 0;
    public static final int NFTA_SET_ELEM_LIST_TABLE = 1;
    public static final int NFTA_SET_ELEM_LIST_SET = 2;
    public static final int NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    public static final int NFTA_SET_ELEM_LIST_SET_ID = 4;

    /** enum nft_set_elem_attributes. */
    public static final int NFTA_SET_ELEM_UNSPEC = 0;
    public static final int NFTA_SET_ELEM_KEY = 1;
    public static final int NFTA_SET_ELEM_DATA = 2;
    public static final int NFTA_SET_ELEM_FLAGS = 3;
    public static final int NFTA_SET_ELEM_TIMEOUT = 4;
    public static final int NFTA_SET_ELEM_EXPIRATION = 5;
    public static final int NFTA_SET_ELEM_USERDATA = 6;
    public static final int NFTA_SET_ELEM_EXPR = 7;
    public static final int NFTA_SET_ELEM_PAD = 8;
    public static final int NFTA_SET_ELEM_OBJREF = 9;
    public static final int NFTA_SET_ELEM_KEY_END = 10;

    /** enum nft_byteorder_attributes and enum nft_byteorder_ops. */
    public static final int NFTA_BYTEORDER_UNSPEC = 0;
    public static final int NFTA_BYTEORDER_SREG = 1;
    public static final int NFTA_BYTEORDER_DREG = 2;
    public static final int NFTA_BYTEORDER_OP = 3;
    public static final int NFTA_BYTEORDER_LEN = 4;
    public static final int NFTA_BYTEORDER_SIZE = 5;
    public static final int NFT_BYTEORDER_NTOH = 0;
    public static final int NFT_BYTEORDER_HTON = 1;
}
