package dev.netlib.linux.internal.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.error.MalformedMessageException;
import dev.netlib.linux.internal.netlink.MessageReader;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Real kernel replies to address, route, neighbour and FDB dumps, truncated and mutated: the
 * filters and decoders either succeed or throw MalformedMessageException naming the attribute,
 * never another exception, a read past the end or an endless loop.
 */
class ObjectDecoderFuzzTest {

    private interface Decoder {
        Object decode(NetlinkMessage m);
    }

    @Test
    void addresses() {
        fuzz("addr-show", AddressMessages::isAddress, m -> AddressMessages.decode(m, i -> "if" + i));
    }

    @Test
    void routes() {
        fuzz("route-show4", RouteMessages::isListed, m -> RouteMessages.decode(m, i -> "if" + i));
        fuzz("route-show6", RouteMessages::isListed, m -> RouteMessages.decode(m, i -> "if" + i));
    }

    @Test
    void neighbours() {
        fuzz("neigh-show", NeighborMessages::isListed, m -> NeighborMessages.decode(m, i -> "if" + i));
    }

    @Test
    void fdb() {
        fuzz("fdb-show", FdbMessages::isListed, m -> FdbMessages.decode(m, i -> "if" + i));
    }

    private static void fuzz(String fixture, Predicate<NetlinkMessage> filter, Decoder decoder) {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "fixtures are little-endian");
        Random r = new Random(fixture.hashCode());
        int ok = 0;
        int malformed = 0;
        for (byte[] full : ObjectFixture.load(fixture).replies()) {
            for (int n = 0; n <= full.length; n++) {
                // truncated, with nlmsg_len still claiming the full size (split must refuse) or patched to fit
                byte[] t = Arrays.copyOf(full, n);
                if (run(t, filter, decoder)) {
                    ok++;
                } else {
                    malformed++;
                }
                if (n >= 16) {
                    t[0] = (byte) n;
                    t[1] = (byte) (n >> 8);
                    if (run(t, filter, decoder)) {
                        ok++;
                    } else {
                        malformed++;
                    }
                }
            }
            for (int i = 0; i < 1500; i++) {
                byte[] b = full.clone();
                for (int f = 0, k = 1 + r.nextInt(4); f < k; f++) {
                    // spare the netlink header so the payload is what gets mutated
                    b[16 + r.nextInt(b.length - 16)] = (byte) r.nextInt(256);
                }
                if (run(b, filter, decoder)) {
                    ok++;
                } else {
                    malformed++;
                }
            }
        }
        assertThat(ok).as("decoded").isPositive();
        assertThat(malformed).as("malformed").isPositive();
    }

    /** True when every message decoded, false on MalformedMessageException; anything else fails the test. */
    private static boolean run(byte[] b, Predicate<NetlinkMessage> filter, Decoder decoder) {
        try {
            List<NetlinkMessage> msgs = MessageReader.split(b);
            for (NetlinkMessage m : msgs) {
                filter.test(m);
                decoder.decode(m);
            }
            return true;
        } catch (MalformedMessageException e) {
            assertThat(e.getMessage()).isNotBlank();
            return false;
        }
    }
}
