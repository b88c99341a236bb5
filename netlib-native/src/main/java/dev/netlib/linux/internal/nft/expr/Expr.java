package dev.netlib.linux.internal.nft.expr;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_EXPR_DATA;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_EXPR_NAME;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFTA_LIST_ELEM;

import dev.netlib.error.MalformedMessageException;
import dev.netlib.linux.internal.netlink.Attribute;
import dev.netlib.linux.internal.netlink.AttributeNames;
import dev.netlib.linux.internal.netlink.Attributes;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.nft.uapi.NftConstants;

/**
 * One nf_tables expression of a rule, as {@code nft} emits it: {@code NFTA_LIST_ELEM { NFTA_EXPR_NAME
 * "cmp", NFTA_EXPR_DATA { ... } }}. Values inside are big-endian (network order) where the kernel
 * compares them with packet bytes; registers, lengths and keys are big-endian u32 (NLA_BE32) too.
 * Each implementation writes its attributes in the order nft does, so messages match nft's bytes.
 */
public sealed interface Expr permits MetaExpr, PayloadExpr, CmpExpr, BitwiseExpr, ImmediateExpr, NatExpr, MasqExpr,
        CounterExpr, CtExpr, FibExpr, LookupExpr, ByteorderExpr {

    /** NFTA_EXPR_NAME: {@code meta}, {@code cmp}... */
    String name();

    /** Writes the attributes inside NFTA_EXPR_DATA. */
    void writeData(MessageWriter w);

    /** Writes the whole list element. */
    default void write(MessageWriter w) {
        int elem = w.beginNested(NFTA_LIST_ELEM);
        w.attrString(NFTA_EXPR_NAME, name());
        int data = w.beginNested(NFTA_EXPR_DATA);
        writeData(w);
        w.endNested(data);
        w.endNested(elem);
    }

    AttributeNames EXPR_NAMES = AttributeNames.of(NftConstants.class, "NFTA_EXPR_");

    /** Attribute names of one NFTA_* space, built once (AttributeNames.of reflects over the constants). */
    static AttributeNames names(String prefix) {
        return Names.CACHE.computeIfAbsent(prefix, p -> AttributeNames.of(NftConstants.class, p));
    }

    /** Decodes one NFTA_LIST_ELEM of NFTA_RULE_EXPRESSIONS. */
    static Expr decode(Attribute elem) {
        Attributes a = elem.nested(EXPR_NAMES);
        String name = a.string(NFTA_EXPR_NAME).orElseThrow(() -> new MalformedMessageException(a.path() + ": expression without NFTA_EXPR_NAME"));
        Attributes d = a.find(NFTA_EXPR_DATA).map(x -> x.nested(names("NFTA_" + name.toUpperCase(java.util.Locale.ROOT) + "_")))
                .orElse(null);
        return switch (name) {
            case "meta" -> MetaExpr.decode(d);
            case "payload" -> PayloadExpr.decode(d);
            case "cmp" -> CmpExpr.decode(d);
            case "bitwise" -> BitwiseExpr.decode(d);
            case "immediate" -> ImmediateExpr.decode(d);
            case "nat" -> NatExpr.decode(d);
            case "masq" -> MasqExpr.decode(d);
            case "counter" -> CounterExpr.decode(d);
            case "ct" -> CtExpr.decode(d);
            case "fib" -> FibExpr.decode(d);
            case "lookup" -> LookupExpr.decode(d);
            case "byteorder" -> ByteorderExpr.decode(d);
            default -> throw new MalformedMessageException(a.path() + ": expression '" + name + "' is not one netlib writes");
        };
    }

    /** A required big-endian u32 attribute of an expression. */
    static int u32(Attributes d, int type, String what) {
        if (d == null) {
            throw new MalformedMessageException("expression without NFTA_EXPR_DATA (needs " + what + ")");
        }
        return d.u32Be(type).orElseThrow(() -> new MalformedMessageException(d.path() + ": missing " + what));
    }

    /** NFTA_DATA_VALUE inside a nested NFTA_*_DATA attribute. */
    static byte[] value(Attributes d, int type, String what) {
        if (d == null) {
            throw new MalformedMessageException("expression without NFTA_EXPR_DATA (needs " + what + ")");
        }
        Attributes data = d.find(type).orElseThrow(() -> new MalformedMessageException(d.path() + ": missing " + what))
                .nested(names("NFTA_DATA_"));
        return data.bytes(NftConstants.NFTA_DATA_VALUE).orElseThrow(() -> new MalformedMessageException(data.path() + ": no NFTA_DATA_VALUE"));
    }

    /** Writes {@code NFTA_*_DATA { NFTA_DATA_VALUE bytes }}. */
    static void writeValue(MessageWriter w, int type, byte[] value) {
        int t = w.beginNested(type);
        w.attrBytes(NftConstants.NFTA_DATA_VALUE, value);
        w.endNested(t);
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder("0x");
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }
}
