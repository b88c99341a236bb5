package dev.netlib.linux.internal.nft;

import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFT_SET_CONCAT;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFT_SET_INTERVAL;
import static dev.netlib.linux.internal.nft.uapi.NftConstants.NFT_SET_MAP;

import dev.netlib.spi.nft.NftLayout;
import dev.netlib.spi.nft.NftSet;
import java.util.HexFormat;
import java.util.List;

/**
 * The kernel's description of each set and map of netlib's layout, as nft 1.0.6 sends it for the
 * same {@code add set}/{@code add map} (golden fixtures map-*.hex, set-*.hex).
 *
 * <p>Key and data types are nft's datatype ids folded for a concatenation ({@code type << 6 | next},
 * nft's concat_type_alloc): ipv4_addr 7, inet_proto 12, inet_service 13, ifname 41. Each field of a
 * concatenation takes a whole 32-bit register, so lengths count 4 bytes per field (16 for an ifname).
 * {@code fieldLengths} are the unpadded field sizes nft sends in NFTA_SET_DESC_CONCAT for an interval
 * set (pipapo needs them). {@code userdata} is nft's own description of the set (byte order, typeof)
 * that the kernel stores unread; nft needs it to print the elements back, so it is sent verbatim.
 */
record NftSets(NftSet set, int flags, int keyType, int keyLen, int dataType, int dataLen, List<Integer> fieldLengths, byte[] userdata) {
    private static final int IPV4_ADDR = 7;
    private static final int INET_PROTO = 12;
    private static final int INET_SERVICE = 13;
    private static final int IFNAME = 41;

    private static final byte[] MAP_USERDATA = HexFormat.of().parseHex(
            "000400000000010400000000030800040d0000000100040800040d0000000100060400000000");
    private static final byte[] SET_USERDATA = HexFormat.of().parseHex("000400000000030800040d0000000100");

    static final NftSets PUBLISHED = new NftSets(NftLayout.PUBLISHED, NFT_SET_MAP, concat(INET_PROTO, INET_SERVICE), 8,
            concat(IPV4_ADDR, INET_SERVICE), 8, List.of(), MAP_USERDATA);
    static final NftSets PUBLISHED_ADDR = new NftSets(NftLayout.PUBLISHED_ADDR, NFT_SET_MAP, concat(IPV4_ADDR, INET_PROTO, INET_SERVICE), 12,
            concat(IPV4_ADDR, INET_SERVICE), 8, List.of(), MAP_USERDATA);
    static final NftSets HAIRPIN = new NftSets(NftLayout.HAIRPIN, NFT_SET_INTERVAL | NFT_SET_CONCAT,
            concat(IFNAME, IPV4_ADDR), 20, 0, 0, List.of(16, 4), SET_USERDATA);
    static final NftSets ISOLATED = new NftSets(NftLayout.ISOLATED, 0, concat(IFNAME, IFNAME), 32, 0, 0, List.of(), SET_USERDATA);

    /** In {@link NftLayout#SETS} order. */
    static final List<NftSets> ALL = List.of(PUBLISHED, PUBLISHED_ADDR, HAIRPIN, ISOLATED);

    static NftSets of(NftSet set) {
        for (NftSets s : ALL) {
            if (s.set.name().equals(set.name())) { // names, not record equals (no indy bootstrap on the first call)
                return s;
            }
        }
        throw new IllegalArgumentException("not a set of netlib's layout: " + set);
    }

    /** NFTA_SET_ID used in the layout's batch: the set's position, from 1. */
    int id() {
        for (int i = 0; i < ALL.size(); i++) {
            if (ALL.get(i) == this) {
                return i + 1;
            }
        }
        throw new IllegalStateException("not a set of the layout: " + set.name());
    }

    private static int concat(int... types) {
        int t = 0;
        for (int x : types) {
            t = (t << 6) | x;
        }
        return t;
    }
}
