package dev.netlib.linux.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.MalformedMessageException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random and truncated buffers: the reader throws only MalformedMessageException, never loops. */
class ReaderFuzzTest {

    private static final AttributeNames NAMES = AttributeNames.of(Names.class, "X_");

    static final class Names {
        public static final int X_LINKINFO = 18;
        public static final int X_INFO_DATA = 2;
        public static final int X_PORT = 15;
    }

    private static byte[] sample() {
        MessageWriter w = new MessageWriter();
        for (int m = 0; m < 3; m++) {
            w.beginMessage(16, 0);
            w.putZeros(16);
            w.attrString(3, "dev" + m);
            int li = w.beginNested(18);
            w.attrString(1, "vxlan");
            int d = w.beginNested(2);
            w.attrU32(1, 42 + m);
            w.attrU16Be(15, 4789);
            w.attrU8(11, 1);
            w.endNested(d);
            w.endNested(li);
            w.attrU64(7, 99);
            w.endMessage();
        }
        return w.toByteArray();
    }

    /** Decodes everything that can be decoded, as a link decoder would. */
    private static int walk(byte[] data) {
        int seen = 0;
        for (NetlinkMessage m : MessageReader.split(data)) {
            Attributes a = m.attributes(16, "RTM_NEWLINK", NAMES);
            for (Attribute at : a.all()) {
                seen++;
                at.bytes();
            }
            a.string(3);
            a.u64(7);
            var li = a.nested(18, NAMES);
            if (li.isPresent()) {
                li.get().string(1);
                var d = li.get().nested(2, NAMES);
                if (d.isPresent()) {
                    d.get().u32(1);
                    d.get().u16Be(15);
                    d.get().u8(11);
                    seen += d.get().size();
                }
            }
        }
        return seen;
    }

    @Test
    void sampleDecodes() {
        assertThat(walk(sample())).isEqualTo(3 * (3 + 3));
    }

    @Test
    void everyTruncationFailsCleanlyOrParses() {
        byte[] full = sample();
        int failures = 0;
        for (int n = 0; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            try {
                walk(cut);
            } catch (MalformedMessageException e) {
                failures++;
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        assertThat(failures).isGreaterThan(full.length / 2);
    }

    @Test
    void randomMutationsAndGarbage() {
        Random r = new Random(0x5eed);
        byte[] full = sample();
        int ok = 0;
        int bad = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] b;
            if (i % 3 == 0) {
                b = new byte[r.nextInt(200)];
                r.nextBytes(b);
            } else {
                b = full.clone();
                int flips = 1 + r.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                if (r.nextBoolean()) {
                    b = Arrays.copyOf(b, r.nextInt(b.length + 1));
                }
            }
            try {
                walk(b);
                ok++;
            } catch (MalformedMessageException e) {
                bad++;
            }
        }
        assertThat(ok + bad).isEqualTo(20_000);
        assertThat(bad).isPositive();
        assertThat(ok).isPositive();
    }

    @Test
    void shortAttributeNamesItsPath() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(16, 0);
        w.putZeros(16);
        int li = w.beginNested(18);
        int d = w.beginNested(2);
        w.attrU8(15, 1); // a port must be 2 bytes
        w.endNested(d);
        w.endNested(li);
        w.endMessage();
        List<NetlinkMessage> msgs = MessageReader.split(w.toByteArray());
        Attributes data = msgs.get(0).attributes(16, "RTM_NEWLINK", NAMES).nested(18, NAMES).orElseThrow()
                .nested(2, NAMES).orElseThrow();
        assertThatThrownBy(() -> data.u16Be(15)).isInstanceOf(MalformedMessageException.class)
                .hasMessage("RTM_NEWLINK/X_LINKINFO/X_INFO_DATA/X_PORT: length 1 < 2");
    }

    @Test
    void attributeOverrunAndZeroLengthAreErrors() {
        byte[] b = sample();
        // first attribute after the 16+16 headers: claim 0xffff bytes
        b[32] = (byte) 0xff;
        b[33] = (byte) 0xff;
        assertThatThrownBy(() -> walk(b)).isInstanceOf(MalformedMessageException.class).hasMessageContaining("exceeds");
        byte[] z = sample();
        z[32] = 0;
        z[33] = 0;
        assertThatThrownBy(() -> walk(z)).isInstanceOf(MalformedMessageException.class).hasMessageContaining("< 4");
        byte[] h = sample();
        h[0] = 3;
        h[1] = 0;
        h[2] = 0;
        h[3] = 0;
        assertThatThrownBy(() -> walk(h)).isInstanceOf(MalformedMessageException.class).hasMessageContaining("nlmsg_len");
    }

    @Test
    void unknownAttributesAreKept() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(16, 0);
        w.attrU32(999, 5).attrU32(3, 1).attrBytes(1000, new byte[] {1, 2, 3});
        w.endMessage();
        Attributes a = MessageReader.split(w.toByteArray()).get(0).attributes(0, "M", NAMES);
        assertThat(a.all()).extracting(Attribute::type).containsExactly(999, 3, 1000);
        assertThat(a.all().get(0).path()).isEqualTo("M/X_?999");
    }
}
