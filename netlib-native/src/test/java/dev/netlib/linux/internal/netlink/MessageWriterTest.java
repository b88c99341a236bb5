package dev.netlib.linux.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageWriterTest {

    private static int u16(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getShort(off) & 0xffff;
    }

    private static int u32(byte[] b, int off) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt(off);
    }

    @Test
    void headerFlagsAndBackPatchedLength() {
        MessageWriter w = new MessageWriter();
        int idx = w.beginMessage(16, NetlinkConstants.NLM_F_ACK);
        w.putU8(0).putU8(0).putU16(0).putU32(7).putU32(0).putU32(0); // ifinfomsg
        w.attrString(3, "eth0");
        w.endMessage();
        byte[] b = w.toByteArray();
        assertThat(idx).isZero();
        // 16 header + 16 ifinfomsg + (4 + 5 -> 12 aligned)
        assertThat(b).hasSize(44);
        assertThat(u32(b, 0)).isEqualTo(44);
        assertThat(u16(b, 4)).isEqualTo(16);
        assertThat(u16(b, 6)).isEqualTo(NetlinkConstants.NLM_F_ACK | NetlinkConstants.NLM_F_REQUEST);
        assertThat(u32(b, 20)).isEqualTo(7);
        assertThat(u16(b, 32)).isEqualTo(9); // nla_len counts the NUL, not the padding
        assertThat(u16(b, 34)).isEqualTo(3);
        assertThat(new String(b, 36, 4)).isEqualTo("eth0");
        assertThat(b[40]).isZero();
        assertThat(b[41]).isZero();
        assertThat(b[42]).isZero();
        assertThat(b[43]).isZero();
    }

    @Test
    void paddingOfSmallAttributes() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(16, 0);
        w.attrU8(1, 0xab).attrU16(2, 0x1234).attrFlag(3).attrU64(4, 0x0102030405060708L);
        w.endMessage();
        byte[] b = w.toByteArray();
        assertThat(b).hasSize(16 + 8 + 8 + 4 + 12);
        assertThat(u16(b, 16)).isEqualTo(5);
        assertThat(b[20] & 0xff).isEqualTo(0xab);
        assertThat(u16(b, 24)).isEqualTo(6);
        assertThat(u16(b, 28)).isEqualTo(0x1234);
        assertThat(u16(b, 32)).isEqualTo(4); // flag: header only
        assertThat(u16(b, 36)).isEqualTo(12);
        assertThat(ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getLong(40)).isEqualTo(0x0102030405060708L);
    }

    @Test
    void bigEndianVariantsAreNetworkOrderRegardlessOfHost() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(16, 0);
        w.putU16Be(0xbeef).putU32Be(0xcafebabe).padTo4(); // struct part: 8 bytes
        w.attrU16Be(15, 4789).attrU32Be(1, 0x0a000001).attrU64Be(2, 0x1122334455667788L);
        w.endMessage();
        byte[] b = w.toByteArray();
        assertThat(b[16] & 0xff).isEqualTo(0xbe);
        assertThat(b[18] & 0xff).isEqualTo(0xca);
        assertThat(b[21] & 0xff).isEqualTo(0xbe);
        assertThat(b[28] & 0xff).isEqualTo(4789 >> 8);
        assertThat(b[29] & 0xff).isEqualTo(4789 & 0xff);
        assertThat(b[36]).isEqualTo((byte) 10);
        assertThat(b[39]).isEqualTo((byte) 1);
        assertThat(b[44]).isEqualTo((byte) 0x11);
        assertThat(b[51]).isEqualTo((byte) 0x88);
        // and the reader agrees
        Attributes a = MessageReader.split(b).get(0).attributes(8, "T", AttributeNames.NUMERIC);
        assertThat(a.u16Be(15)).hasValue(4789);
        assertThat(a.u32Be(1)).hasValue(0x0a000001);
        assertThat(a.u64Be(2)).hasValue(0x1122334455667788L);
    }

    @Test
    void nestedLengthsBackPatchedAndNestedFlagOption() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(16, 0);
        w.putZeros(16);
        int linkinfo = w.beginNested(18);
        w.attrString(1, "vxlan");
        int data = w.beginNested(2);
        w.attrU32(1, 42);
        w.attrU16Be(15, 4789);
        w.endNested(data);
        w.endNested(linkinfo);
        w.endMessage();
        w.nestedFlag(true);
        w.beginMessage(17, 0);
        int t = w.beginNested(1);
        w.attrU8(2, 1);
        w.endNested(t);
        w.endMessage();
        byte[] b = w.toByteArray();
        List<NetlinkMessage> msgs = MessageReader.split(b);
        assertThat(msgs).hasSize(2);
        assertThat(w.messageCount()).isEqualTo(2);
        assertThat(w.messageOffset(1)).isEqualTo(u32(b, 0));
        // outer nest: 4 hdr + 12 (kind "vxlan\0" padded) + 4 hdr + 8 + 8 = 36
        assertThat(u16(b, 32)).isEqualTo(36);
        assertThat(u16(b, 34)).isEqualTo(18);
        Attributes attrs = msgs.get(0).attributes(16, "RTM_NEWLINK", AttributeNames.NUMERIC);
        Attributes li = attrs.nested(18, AttributeNames.NUMERIC).orElseThrow();
        assertThat(li.string(1)).hasValue("vxlan");
        Attributes d = li.nested(2, AttributeNames.NUMERIC).orElseThrow();
        assertThat(d.u32(1)).hasValue(42);
        assertThat(d.u16Be(15)).hasValue(4789);
        Attribute nestedWithFlag = msgs.get(1).attributes(0, "M", AttributeNames.NUMERIC).all().get(0);
        assertThat(nestedWithFlag.type()).isEqualTo(1);
        assertThat(nestedWithFlag.isNested()).isTrue();
        assertThat(nestedWithFlag.nested(AttributeNames.NUMERIC).u8(2)).hasValue(1);
    }

    @Test
    void misuseIsRejected() {
        MessageWriter w = new MessageWriter();
        assertThatThrownBy(() -> w.attrU32(1, 1)).isInstanceOf(IllegalStateException.class);
        w.beginMessage(16, 0);
        int a = w.beginNested(1);
        w.beginNested(2);
        assertThatThrownBy(() -> w.endNested(a)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(w::endMessage).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> w.beginMessage(16, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void growsAndStampsSequenceNumbers() {
        MessageWriter w = new MessageWriter(64);
        for (int i = 0; i < 200; i++) {
            w.beginMessage(16 + (i % 3), NetlinkConstants.NLM_F_ACK);
            w.putZeros(16);
            w.attrBytes(1, new byte[i % 37]);
            w.endMessage();
        }
        w.stamp(1000, 77);
        List<NetlinkMessage> msgs = MessageReader.split(w.toByteArray());
        assertThat(msgs).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(msgs.get(i).seq()).isEqualTo(1000 + i);
            assertThat(msgs.get(i).pid()).isEqualTo(77);
            assertThat(msgs.get(i).type()).isEqualTo(16 + (i % 3));
            assertThat(msgs.get(i).attributes(16, "M", AttributeNames.NUMERIC).bytes(1).orElseThrow()).hasSize(i % 37);
        }
        assertThat(w.buffer().remaining()).isEqualTo(w.size());
        w.reset();
        assertThat(w.size()).isZero();
        assertThat(w.messageCount()).isZero();
    }
}
