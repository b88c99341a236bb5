package dev.netlib.linux.internal.nft;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.*;

import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.nft.expr.Expr;
import dev.netlib.spi.nft.NftChain;

/**
 * Writes nf_tables messages as nft does (attribute order and flags match {@code nft 1.0.6}, see the
 * golden fixtures). Every message starts with struct nfgenmsg {family, version, res_id (BE)}.
 */
public final class NftMessages {
    private NftMessages() {}

    /** The netlink type of an nf_tables message: subsystem in the high byte. */
    public static int type(int msg) {
        return (NFNL_SUBSYS_NFTABLES << 8) | msg;
    }

    /** NFPROTO_* of an nft family word. */
    public static int family(String word) {
        return switch (word) {
            case "ip" -> NFPROTO_IPV4;
            case "ip6" -> NFPROTO_IPV6;
            case "inet" -> NFPROTO_INET;
            case "bridge" -> NFPROTO_BRIDGE;
            default -> throw new IllegalArgumentException("unknown nft family " + word);
        };
    }

    static int hook(String name) {
        return switch (name) {
            case "prerouting" -> NF_INET_PRE_ROUTING;
            case "input" -> NF_INET_LOCAL_IN;
            case "forward" -> NF_INET_FORWARD;
            case "output" -> NF_INET_LOCAL_OUT;
            case "postrouting" -> NF_INET_POST_ROUTING;
            default -> throw new IllegalArgumentException("unknown hook " + name);
        };
    }

    static void nfgen(MessageWriter w, int family, int resId) {
        w.putU8(family);
        w.putU8(NFNETLINK_V0);
        w.putU16Be(resId);
    }

    /** NFNL_MSG_BATCH_BEGIN; with a generation id the kernel refuses the batch (ERESTART) if the ruleset changed since. */
    public static int batchBegin(MessageWriter w, Integer genId) {
        int i = w.beginMessage(NFNL_MSG_BATCH_BEGIN, 0);
        nfgen(w, 0, NFNL_SUBSYS_NFTABLES);
        if (genId != null) {
            w.attrU32Be(NFNL_BATCH_GENID, genId);
        }
        w.endMessage();
        return i;
    }

    public static int batchEnd(MessageWriter w) {
        int i = w.beginMessage(NFNL_MSG_BATCH_END, 0);
        nfgen(w, 0, NFNL_SUBSYS_NFTABLES);
        w.endMessage();
        return i;
    }

    /** NFT_MSG_GETGEN: the answer NFT_MSG_NEWGEN carries NFTA_GEN_ID. */
    public static int getGen(MessageWriter w, int flags) {
        int i = w.beginMessage(type(NFT_MSG_GETGEN), flags);
        nfgen(w, 0, 0);
        w.endMessage();
        return i;
    }

    /** Equivalent to: {@code nft add table FAMILY NAME} (no NLM_F_EXCL: an existing table is fine). */
    public static int newTable(MessageWriter w, String family, String name, int flags) {
        int i = w.beginMessage(type(NFT_MSG_NEWTABLE), flags);
        nfgen(w, family(family), 0);
        w.attrString(NFTA_TABLE_NAME, name);
        w.attrU32Be(NFTA_TABLE_FLAGS, 0);
        w.endMessage();
        return i;
    }

    /** Equivalent to: {@code nft delete table FAMILY NAME} (its chains and rules go with it). */
    public static int delTable(MessageWriter w, String family, String name, int flags) {
        int i = w.beginMessage(type(NFT_MSG_DELTABLE), flags);
        nfgen(w, family(family), 0);
        w.attrString(NFTA_TABLE_NAME, name);
        w.endMessage();
        return i;
    }

    /** Equivalent to: {@code nft add chain FAMILY TABLE NAME { type T hook H priority P; policy accept; }}. */
    public static int newChain(MessageWriter w, String table, NftChain c, int flags) {
        int i = w.beginMessage(type(NFT_MSG_NEWCHAIN), flags);
        nfgen(w, family(c.family()), 0);
        w.attrString(NFTA_CHAIN_TABLE, table);
        w.attrString(NFTA_CHAIN_NAME, c.name());
        if (c.isBase()) { // a regular chain has neither type, policy nor hook
            w.attrString(NFTA_CHAIN_TYPE, c.type());
            w.attrU32Be(NFTA_CHAIN_POLICY, NF_ACCEPT);
            int h = w.beginNested(NFTA_CHAIN_HOOK);
            w.attrU32Be(NFTA_HOOK_HOOKNUM, hook(c.hook()));
            w.attrU32Be(NFTA_HOOK_PRIORITY, c.priority());
            w.endNested(h);
        }
        w.endMessage();
        return i;
    }

    /** Equivalent to: {@code nft delete chain FAMILY TABLE NAME}: its rules go with it (EBUSY only while jumps from elsewhere refer to it). */
    public static int delChain(MessageWriter w, String table, NftChain c, int flags) {
        return chainByName(w, NFT_MSG_DELCHAIN, table, c, flags);
    }

    /** A message about one chain, named by its table and name. */
    private static int chainByName(MessageWriter w, int msg, String table, NftChain c, int flags) {
        int i = w.beginMessage(type(msg), flags);
        nfgen(w, family(c.family()), 0);
        w.attrString(NFTA_CHAIN_TABLE, table);
        w.attrString(NFTA_CHAIN_NAME, c.name());
        w.endMessage();
        return i;
    }

    /** Equivalent to: {@code nft add rule FAMILY TABLE CHAIN ... comment "..."} (NLM_F_CREATE|NLM_F_APPEND, as nft). */
    public static int newRule(MessageWriter w, String table, NftRule r, int flags) {
        int i = w.beginMessage(type(NFT_MSG_NEWRULE), flags);
        nfgen(w, family(r.chain().family()), 0);
        w.attrString(NFTA_RULE_TABLE, table);
        w.attrString(NFTA_RULE_CHAIN, r.chain().name());
        int list = w.beginNested(NFTA_RULE_EXPRESSIONS);
        for (Expr e : r.expressions()) {
            e.write(w);
        }
        w.endNested(list);
        if (r.comment() != null) {
            w.attrBytes(NFTA_RULE_USERDATA, UserData.comment(r.comment()));
        }
        w.endMessage();
        return i;
    }

    /** Equivalent to: {@code nft delete rule FAMILY TABLE CHAIN handle H}. */
    public static int delRule(MessageWriter w, String table, NftChain chain, long handle, int flags) {
        int i = w.beginMessage(type(NFT_MSG_DELRULE), flags);
        nfgen(w, family(chain.family()), 0);
        w.attrString(NFTA_RULE_TABLE, table);
        w.attrString(NFTA_RULE_CHAIN, chain.name());
        w.attrU64Be(NFTA_RULE_HANDLE, handle);
        w.endMessage();
        return i;
    }

    /**
     * A dump of the rules of one table, or of one of its chains when {@code chain} is not null (the
     * kernel filters by NFTA_RULE_TABLE and NFTA_RULE_CHAIN). Equivalent to: {@code nft -a list table FAMILY TABLE}.
     */
    public static MessageWriter getRules(String family, String table, String chain) {
        MessageWriter w = new MessageWriter(128).nestedFlag(true);
        w.beginMessage(type(NFT_MSG_GETRULE), 0);
        nfgen(w, family(family), 0);
        w.attrString(NFTA_RULE_TABLE, table);
        if (chain != null) {
            w.attrString(NFTA_RULE_CHAIN, chain);
        }
        w.endMessage();
        return w;
    }

    /** Equivalent to: {@code nft list table FAMILY NAME} (the table only; ENOENT if it does not exist). */
    public static int getTable(MessageWriter w, String family, String name, int flags) {
        int i = w.beginMessage(type(NFT_MSG_GETTABLE), flags);
        nfgen(w, family(family), 0);
        w.attrString(NFTA_TABLE_NAME, name);
        w.endMessage();
        return i;
    }

    /** Equivalent to: {@code nft list chain FAMILY TABLE NAME} (the chain only, no rules; ENOENT if it does not exist). */
    public static int getChain(MessageWriter w, String table, NftChain c, int flags) {
        return chainByName(w, NFT_MSG_GETCHAIN, table, c, flags);
    }

    /** A dump of the chains of a family (filtered by table by the caller). */
    public static MessageWriter getChains(String family) {
        MessageWriter w = new MessageWriter().nestedFlag(true);
        w.beginMessage(type(NFT_MSG_GETCHAIN), 0);
        nfgen(w, family(family), 0);
        w.endMessage();
        return w;
    }
}
