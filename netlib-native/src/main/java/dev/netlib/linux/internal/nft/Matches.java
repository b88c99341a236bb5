package dev.netlib.linux.internal.nft;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.*;

import dev.netlib.linux.internal.nft.expr.BitwiseExpr;
import dev.netlib.linux.internal.nft.expr.CmpExpr;
import dev.netlib.linux.internal.nft.expr.CtExpr;
import dev.netlib.linux.internal.nft.expr.Expr;
import dev.netlib.linux.internal.nft.expr.FibExpr;
import dev.netlib.linux.internal.nft.expr.MetaExpr;
import dev.netlib.linux.internal.nft.expr.PayloadExpr;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The expression sequences nft generates for the matches netlib uses, byte for byte (checked by
 * the golden tests). All loads go to NFT_REG_1, as nft does for a single match.
 */
final class Matches {
    /** IPv4 header offsets of saddr and daddr. */
    static final int IP_SADDR = 12;
    static final int IP_DADDR = 16;
    /** IFNAMSIZ: nft compares interface names as 16 zero-padded bytes. */
    static final int IFNAMSIZ = 16;

    private Matches() {}

    /**
     * {@code ip saddr|daddr [!=] PREFIX}: for a prefix on a byte boundary nft loads only the bytes
     * it covers (/16: 2 bytes); otherwise it loads the whole address and masks it with bitwise.
     */
    static void ipPrefix(List<Expr> out, int offset, IpPrefix prefix, boolean negate) {
        int len = prefix.length();
        if (len == 0) {
            return; // 0.0.0.0/0 matches everything
        }
        int bytes = len % 8 == 0 ? len / 8 : 4;
        byte[] net = Arrays.copyOf(prefix.network().address().getAddress(), bytes);
        out.add(new PayloadExpr(NFT_REG_1, NFT_PAYLOAD_NETWORK_HEADER, offset, bytes));
        if (len % 8 != 0) {
            byte[] mask = new byte[bytes];
            for (int i = 0; i < len; i++) {
                mask[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
            out.add(new BitwiseExpr(NFT_REG_1, NFT_REG_1, bytes, mask, new byte[bytes]));
        }
        out.add(new CmpExpr(NFT_REG_1, negate ? NFT_CMP_NEQ : NFT_CMP_EQ, net));
    }

    /** {@code ip daddr ADDRESS}. */
    static void ipAddress(List<Expr> out, int offset, InetAddress a) {
        out.add(new PayloadExpr(NFT_REG_1, NFT_PAYLOAD_NETWORK_HEADER, offset, 4));
        out.add(new CmpExpr(NFT_REG_1, NFT_CMP_EQ, a.getAddress()));
    }

    /** {@code iifname|oifname [!=] "NAME"} (key NFT_META_IIFNAME or NFT_META_OIFNAME). */
    static void ifname(List<Expr> out, int key, String name, boolean negate) {
        out.add(new MetaExpr(key, NFT_REG_1));
        out.add(new CmpExpr(NFT_REG_1, negate ? NFT_CMP_NEQ : NFT_CMP_EQ, Arrays.copyOf(name.getBytes(StandardCharsets.UTF_8), IFNAMSIZ)));
    }

    /** {@code tcp|udp dport P} or {@code dport A-B}: meta l4proto, then the transport header's bytes 2-3. */
    static void dport(List<Expr> out, int ipProto, int first, int last) {
        out.add(new MetaExpr(NFT_META_L4PROTO, NFT_REG_1));
        out.add(new CmpExpr(NFT_REG_1, NFT_CMP_EQ, new byte[] {(byte) ipProto}));
        out.add(new PayloadExpr(NFT_REG_1, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2));
        if (first == last) {
            out.add(new CmpExpr(NFT_REG_1, NFT_CMP_EQ, port(first)));
        } else {
            out.add(new CmpExpr(NFT_REG_1, NFT_CMP_GTE, port(first)));
            out.add(new CmpExpr(NFT_REG_1, NFT_CMP_LTE, port(last)));
        }
    }

    /** {@code fib daddr type local}: the routing type is a host-order u32 (RTN_LOCAL). */
    static void fibDaddrLocal(List<Expr> out) {
        out.add(new FibExpr(NFTA_FIB_F_DADDR, NFT_FIB_RESULT_ADDRTYPE, NFT_REG_1));
        out.add(new CmpExpr(NFT_REG_1, NFT_CMP_EQ, hostU32(RTN_LOCAL)));
    }

    /** {@code ct status dnat}: status bits are host order; nft tests them as (status & IPS_DST_NAT) != 0. */
    static void ctStatusDnat(List<Expr> out) {
        out.add(new CtExpr(NFT_CT_STATUS, NFT_REG_1));
        out.add(new BitwiseExpr(NFT_REG_1, NFT_REG_1, 4, hostU32(IPS_DST_NAT), new byte[4]));
        out.add(new CmpExpr(NFT_REG_1, NFT_CMP_NEQ, new byte[4]));
    }

    static byte[] port(int p) {
        return new byte[] {(byte) (p >>> 8), (byte) p};
    }

    static byte[] hostU32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }
}
