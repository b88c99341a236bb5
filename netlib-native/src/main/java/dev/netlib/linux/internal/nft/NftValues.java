package dev.netlib.linux.internal.nft;

import dev.netlib.spi.nft.NftValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The bytes of a concatenated set key or map data: each field in network order, padded to a whole
 * 32-bit register (NFT_REG32_SIZE, as nft_set_ext keys are laid out), an interface name as 16
 * zero-padded bytes. In an interval set a network is a range: its first address in the key, its last
 * in NFTA_SET_ELEM_KEY_END.
 */
final class NftValues {
    private NftValues() {}

    /** The key (or data) bytes; {@code end} selects the last address of a network field. */
    static byte[] bytes(List<NftValue> fields, boolean end) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        for (NftValue v : fields) {
            byte[] b = field(v, end);
            out.writeBytes(b);
            out.writeBytes(new byte[(4 - b.length % 4) % 4]);
        }
        return out.toByteArray();
    }

    /** True if any field is a range (the element needs NFTA_SET_ELEM_KEY_END). */
    static boolean hasRange(List<NftValue> fields) {
        for (NftValue v : fields) {
            if (v instanceof NftValue.Net) {
                return true;
            }
        }
        return false;
    }

    private static byte[] field(NftValue v, boolean end) {
        if (v instanceof NftValue.Addr a) {
            return a.address().getAddress();
        } else if (v instanceof NftValue.Net n) {
            byte[] first = n.prefix().network().address().getAddress();
            if (!end) {
                return first;
            }
            byte[] last = first.clone();
            for (int bit = n.prefix().length(); bit < last.length * 8; bit++) {
                last[bit / 8] |= (byte) (0x80 >>> (bit % 8));
            }
            return last;
        } else if (v instanceof NftValue.Proto p) {
            return new byte[] {(byte) p.protocol().number()};
        } else if (v instanceof NftValue.Port p) {
            return Matches.port(p.port());
        } else if (v instanceof NftValue.Ifname i) {
            return Arrays.copyOf(i.name().getBytes(StandardCharsets.UTF_8), Matches.IFNAMSIZ);
        }
        throw new IllegalArgumentException("unknown value " + v);
    }
}
