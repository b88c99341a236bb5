package dev.netlib.linux.internal.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.error.MalformedMessageException;
import dev.netlib.linux.internal.netlink.MessageReader;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Real kernel replies, truncated and mutated: the link decoder fails only with MalformedMessageException. */
class LinkDecoderFuzzTest {

    @Test
    void mutatedKernelRepliesNeverEscapeAsOtherExceptions() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "fixtures are little-endian");
        Random r = new Random(42);
        int ok = 0;
        int malformed = 0;
        for (String name : List.of("show-bridge", "show-veth-peer", "show-vxlan", "show-macvlan")) {
            byte[] full = GoldenFixture.load(name).reply();
            for (int n = 0; n <= full.length; n += 7) {
                if (decode(Arrays.copyOf(full, n))) {
                    ok++;
                } else {
                    malformed++;
                }
            }
            for (int i = 0; i < 3000; i++) {
                byte[] b = full.clone();
                for (int f = 0, k = 1 + r.nextInt(6); f < k; f++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                if (decode(b)) {
                    ok++;
                } else {
                    malformed++;
                }
            }
        }
        assertThat(ok).isPositive();
        assertThat(malformed).isPositive();
    }

    /** True when decoded, false on MalformedMessageException; anything else fails the test. */
    private static boolean decode(byte[] b) {
        try {
            for (NetlinkMessage m : MessageReader.split(b)) {
                LinkDecoder.decode(m, i -> "if" + i);
            }
            return true;
        } catch (MalformedMessageException e) {
            assertThat(e.getMessage()).isNotBlank();
            return false;
        }
    }
}
