package dev.netlib.linux.internal.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.NotFoundException;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.RouteScope;
import dev.netlib.spi.change.AddAddress;
import dev.netlib.spi.change.DeleteAddress;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes for the IFA_* space, both directions: each address change encodes to exactly the
 * request {@code ip addr} 6.1 sent (captured with strace, seq and pid zeroed), and the kernel's
 * reply to {@code ip addr show} decodes to what {@code ip -j addr show} printed. No root needed.
 */
class AddressGoldenTest {

    @BeforeAll
    static void littleEndianOnly() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "golden fixtures were captured on a little-endian host");
    }

    static void golden(String fixture, KernelChange change) {
        ObjectFixture f = ObjectFixture.load(fixture);
        MessageWriter w = new MessageWriter();
        AddressMessages.encode(w, change, f.resolver());
        assertThat(w.messageCount()).isEqualTo(1);
        assertThat(HexFormat.of().formatHex(w.toByteArray())).as("%s: %s", fixture, f.command()).isEqualTo(f.requestHex());
        assertThat(change.command()).as("command of %s", fixture).isEqualTo(f.plainCommand());
    }

    @Test
    void addIpv4() {
        golden("addr-add4", new AddAddress("d0", IpPrefix.parse("10.1.2.3/24")));
    }

    @Test
    void addIpv4HostPrefix() {
        golden("addr-add4-host", new AddAddress("d0", IpPrefix.parse("10.1.2.4/32")));
    }

    @Test
    void addIpv6() {
        golden("addr-add6", new AddAddress("d0", IpPrefix.parse("fd00::3/64")));
    }

    @Test
    void deleteIpv4() {
        golden("addr-del4", new DeleteAddress("d0", IpPrefix.parse("10.1.2.3/24")));
    }

    @Test
    void deleteIpv6() {
        golden("addr-del6", new DeleteAddress("d0", IpPrefix.parse("fd00::3/64")));
    }

    @Test
    void dumpRequestIsWhatIpSends() {
        MessageWriter w = new MessageWriter();
        AddressMessages.dumpRequest(w);
        assertThat(HexFormat.of().formatHex(w.toByteArray())).isEqualTo(ObjectFixture.load("addr-dump").requestHex());
    }

    @Test
    void unknownDeviceFailsBeforeAnythingIsWritten() {
        MessageWriter w = new MessageWriter();
        assertThatThrownBy(() -> AddressMessages.encode(w, new AddAddress("nope0", IpPrefix.parse("10.0.0.1/8")),
                ObjectFixture.load("addr-add4").resolver())).isInstanceOf(NotFoundException.class);
        assertThat(w.messageCount()).isZero();
        assertThat(w.size()).isZero();
    }

    @Test
    void decodesWhatIpPrinted() {
        ObjectFixture f = ObjectFixture.load("addr-show");
        List<AddressInfo> ours = new ArrayList<>();
        for (NetlinkMessage m : f.replyMessages()) {
            assertThat(AddressMessages.isAddress(m)).isTrue();
            ours.add(AddressMessages.decode(m, f::nameOf));
        }
        List<AddressInfo> ip = new ArrayList<>();
        for (Map<String, Object> link : f.jsonArray()) {
            int index = ((Long) link.get("ifindex")).intValue();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> infos = (List<Map<String, Object>>) link.get("addr_info");
            for (Map<String, Object> a : infos) {
                IpPrefix p = IpPrefix.of(IpAddresses.parse((String) a.get("local")), ((Long) a.get("prefixlen")).intValue());
                RouteScope scope = switch ((String) a.get("scope")) {
                    case "global" -> RouteScope.UNIVERSE;
                    case "link" -> RouteScope.LINK;
                    case "host" -> RouteScope.HOST;
                    default -> throw new AssertionError(a);
                };
                ip.add(new AddressInfo(index, (String) link.get("ifname"), p, scope));
            }
        }
        assertThat(ip).hasSize(7);
        assertThat(ours).containsExactlyInAnyOrderElementsOf(ip);
        assertThat(ours).contains(new AddressInfo(3, "d0", IpPrefix.parse("10.1.2.3/24"), RouteScope.UNIVERSE),
                new AddressInfo(1, "lo", IpPrefix.parse("::1/128"), RouteScope.HOST),
                new AddressInfo(2, "d1", IpPrefix.parse("10.1.3.3/24"), RouteScope.LINK));
    }
}
