package dev.netlib.linux.internal.nft;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.*;

import dev.netlib.error.MalformedMessageException;
import dev.netlib.linux.internal.netlink.Attribute;
import dev.netlib.linux.internal.netlink.AttributeNames;
import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import dev.netlib.linux.internal.nft.expr.Expr;
import dev.netlib.linux.internal.nft.uapi.NftConstants;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Reads nf_tables messages back: rules (for dumps and NLM_F_ECHO), chains, the generation. */
public final class NftDecoder {
    static final AttributeNames RULE = AttributeNames.of(NftConstants.class, "NFTA_RULE_");
    static final AttributeNames CHAIN = AttributeNames.of(NftConstants.class, "NFTA_CHAIN_");
    static final AttributeNames GEN = AttributeNames.of(NftConstants.class, "NFTA_GEN_");
    static final AttributeNames LIST = AttributeNames.of(NftConstants.class, "NFTA_LIST_");

    private NftDecoder() {}

    /** A rule as the kernel describes it (NFT_MSG_NEWRULE from a dump or an echo). */
    public record RuleMessage(int family, String table, String chain, long handle, List<Expr> expressions, String comment) {}

    public static RuleMessage rule(NetlinkMessage m) {
        Attributes a = m.attributes(4, "NFT_MSG_NEWRULE", RULE);
        int family = m.payloadView().get(0) & 0xff;
        List<Expr> exprs = new ArrayList<>();
        a.find(NFTA_RULE_EXPRESSIONS).ifPresent(list -> {
            for (Attribute elem : list.nested(LIST).allOf(NFTA_LIST_ELEM)) {
                exprs.add(Expr.decode(elem));
            }
        });
        return new RuleMessage(family, a.string(NFTA_RULE_TABLE).orElse(null), a.string(NFTA_RULE_CHAIN).orElse(null),
                a.u64Be(NFTA_RULE_HANDLE).orElse(0), exprs, a.bytes(NFTA_RULE_USERDATA).map(UserData::comment).orElse(null));
    }

    /**
     * What a rule is known by (its place, its handle, its key): enough to find netlib's keyed rules
     * and to delete rules by handle. The expressions are not decoded: that is most of a rule's bytes
     * and objects, and a rule another tool put into the table may hold expressions netlib never
     * writes ({@link Expr#decode} refuses those), which must not stop netlib from reading past it.
     */
    public record RuleRef(String table, String chain, long handle, String comment) {}

    public static RuleRef ruleRef(NetlinkMessage m) {
        Attributes a = m.attributes(4, "NFT_MSG_NEWRULE", RULE);
        return new RuleRef(a.string(NFTA_RULE_TABLE).orElse(null), a.string(NFTA_RULE_CHAIN).orElse(null),
                a.u64Be(NFTA_RULE_HANDLE).orElse(0), a.bytes(NFTA_RULE_USERDATA).map(UserData::comment).orElse(null));
    }

    /** Only the handle of a rule message (an echo): no expression decoding. */
    public static long ruleHandle(NetlinkMessage m) {
        return m.attributes(4, "NFT_MSG_NEWRULE", RULE).u64Be(NFTA_RULE_HANDLE).orElse(0);
    }

    /** Table and name of a chain message. */
    public record ChainMessage(int family, String table, String name) {}

    public static ChainMessage chain(NetlinkMessage m) {
        Attributes a = m.attributes(4, "NFT_MSG_NEWCHAIN", CHAIN);
        return new ChainMessage(m.payloadView().get(0) & 0xff, a.string(NFTA_CHAIN_TABLE).orElse(null), a.string(NFTA_CHAIN_NAME).orElse(null));
    }

    static final AttributeNames ELEM_LIST = AttributeNames.of(NftConstants.class, "NFTA_SET_ELEM_LIST_");
    static final AttributeNames ELEM = AttributeNames.of(NftConstants.class, "NFTA_SET_ELEM_");

    /** The comments of the elements of an NFT_MSG_NEWSETELEM message (a dump or a get), null for an element without one. */
    public static List<String> elementComments(NetlinkMessage m) {
        Attributes a = m.attributes(4, "NFT_MSG_NEWSETELEM", ELEM_LIST);
        List<String> out = new ArrayList<>();
        a.find(NFTA_SET_ELEM_LIST_ELEMENTS).ifPresent(list -> {
            for (Attribute elem : list.nested(LIST).allOf(NFTA_LIST_ELEM)) {
                out.add(elem.nested(ELEM).bytes(NFTA_SET_ELEM_USERDATA).map(UserData::comment).orElse(null));
            }
        });
        return out;
    }

    static final AttributeNames TABLE = AttributeNames.of(NftConstants.class, "NFTA_TABLE_");

    /** NFTA_TABLE_USE of an NFT_MSG_NEWTABLE answer: how many chains, sets and objects the table holds. */
    public static int tableUse(NetlinkMessage m) {
        return m.attributes(4, "NFT_MSG_NEWTABLE", TABLE).u32Be(NFTA_TABLE_USE).orElse(0);
    }

    /** NFTA_GEN_ID of an NFT_MSG_NEWGEN answer. */
    public static int generation(NetlinkMessage m) {
        Attributes a = m.attributes(4, "NFT_MSG_NEWGEN", GEN);
        OptionalInt id = a.u32Be(NFTA_GEN_ID); // no orElseThrow lambda: every change's first read runs this (issue 12)
        if (id.isEmpty()) {
            throw new MalformedMessageException("NFT_MSG_NEWGEN without NFTA_GEN_ID");
        }
        return id.getAsInt();
    }
}
