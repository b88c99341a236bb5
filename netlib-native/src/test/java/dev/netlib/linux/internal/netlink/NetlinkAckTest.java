package dev.netlib.linux.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.KernelException;
import dev.netlib.error.MalformedMessageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class NetlinkAckTest {

    /** Builds an NLMSG_ERROR as the kernel's netlink_ack() does. */
    private static byte[] ack(int error, boolean capped, byte[] request, String extack, int offs) {
        MessageWriter w = new MessageWriter();
        int flags = (capped ? NetlinkConstants.NLM_F_CAPPED : 0) | (extack != null || offs >= 0 ? NetlinkConstants.NLM_F_ACK_TLVS : 0);
        w.beginMessage(NetlinkConstants.NLMSG_ERROR, flags);
        w.putU32(error);
        w.putBytes(capped ? java.util.Arrays.copyOf(request, 16) : request);
        if (extack != null) {
            w.attrString(NetlinkConstants.NLMSGERR_ATTR_MSG, extack);
        }
        if (offs >= 0) {
            w.attrU32(NetlinkConstants.NLMSGERR_ATTR_OFFS, offs);
        }
        w.endMessage();
        byte[] b = w.toByteArray();
        // beginMessage adds NLM_F_REQUEST; the kernel does not: clear it
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        bb.putShort(6, (short) flags);
        return b;
    }

    private static byte[] request() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(16, NetlinkConstants.NLM_F_ACK | NetlinkConstants.NLM_F_CREATE | NetlinkConstants.NLM_F_EXCL);
        w.putZeros(16);
        w.attrString(3, "br0");
        w.endMessage();
        w.stamp(4242, 0);
        return w.toByteArray();
    }

    @Test
    void successAck() {
        NetlinkAck a = NetlinkAck.parse(MessageReader.split(ack(0, true, request(), null, -1)).get(0));
        assertThat(a.isSuccess()).isTrue();
        assertThat(a.requestSeq()).isEqualTo(4242);
        assertThat(a.requestType()).isEqualTo(16);
        assertThat(a.message()).isEmpty();
    }

    @Test
    void cappedErrorWithExtAckText() {
        NetlinkAck a = NetlinkAck.parse(MessageReader.split(ack(-17, true, request(), "Device already exists", 32)).get(0));
        assertThat(a.isSuccess()).isFalse();
        assertThat(a.errnoNumber()).isEqualTo(17);
        assertThat(a.message()).hasValue("Device already exists");
        assertThat(a.extAckOffset()).isEqualTo(32);
        KernelException e = a.toException("ip link add br0 type bridge");
        assertThat(e).isInstanceOf(AlreadyExistsException.class);
        assertThat(e.kernelMessage()).hasValue("Device already exists");
        assertThat(e.operation()).isEqualTo("ip link add br0 type bridge");
        assertThat(e.getMessage()).contains("EEXIST").contains("Device already exists");
    }

    @Test
    void uncappedErrorSkipsEchoedRequest() {
        NetlinkAck a = NetlinkAck.parse(MessageReader.split(ack(-22, false, request(), "VXLAN: bad port", -1)).get(0));
        assertThat(a.errnoNumber()).isEqualTo(22);
        assertThat(a.requestSeq()).isEqualTo(4242);
        assertThat(a.message()).hasValue("VXLAN: bad port");
        assertThat(a.toException("op").errno().name()).isEqualTo("EINVAL");
    }

    @Test
    void truncatedAckIsMalformed() {
        byte[] b = ack(-22, true, request(), null, -1);
        ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).putInt(0, 16 + 8);
        NetlinkMessage m = MessageReader.split(java.util.Arrays.copyOf(b, 24)).get(0);
        assertThatThrownBy(() -> NetlinkAck.parse(m)).isInstanceOf(MalformedMessageException.class);
    }
}
