package dev.netlib.linux.internal.nft;

import dev.netlib.error.MalformedMessageException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * NFTA_RULE_USERDATA as nft and libnftnl write it: unaligned TLVs {@code {u8 type, u8 len, value}};
 * type 0 (NFTNL_UDATA_RULE_COMMENT) holds the comment with its NUL. The kernel stores the bytes
 * without looking at them and gives them back in dumps.
 */
final class UserData {
    static final int RULE_COMMENT = 0;
    /** NFTNL_UDATA_COMMENT_MAXLEN: nft refuses longer comments. */
    static final int COMMENT_MAX = 128;

    private UserData() {}

    static byte[] comment(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length + 1 > COMMENT_MAX) {
            throw new IllegalArgumentException("comment longer than " + (COMMENT_MAX - 1) + " bytes: " + text);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 3);
        out.write(RULE_COMMENT);
        out.write(b.length + 1);
        out.writeBytes(b);
        out.write(0);
        return out.toByteArray();
    }

    /** The comment TLV's text, or null if there is none. */
    static String comment(byte[] userdata) {
        int off = 0;
        while (off + 2 <= userdata.length) {
            int type = userdata[off] & 0xff;
            int len = userdata[off + 1] & 0xff;
            if (off + 2 + len > userdata.length) {
                throw new MalformedMessageException("NFTA_RULE_USERDATA: TLV at " + off + " runs past the end (" + len + " bytes)");
            }
            if (type == RULE_COMMENT) {
                int n = len;
                while (n > 0 && userdata[off + 2 + n - 1] == 0) {
                    n--;
                }
                return new String(userdata, off + 2, n, StandardCharsets.UTF_8);
            }
            off += 2 + len;
        }
        return null;
    }
}
