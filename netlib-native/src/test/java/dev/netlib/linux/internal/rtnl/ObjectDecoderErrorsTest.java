package dev.netlib.linux.internal.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.MalformedMessageException;
import dev.netlib.linux.internal.ffi.LinuxConstants;
import dev.netlib.linux.internal.netlink.MessageReader;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.RouteInfo;
import dev.netlib.model.RouteSpec;
import dev.netlib.spi.change.AddAddress;
import dev.netlib.spi.change.AddRoute;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import org.junit.jupiter.api.Test;

/**
 * Hand-built replies the kernel should never send: each decoder names the attribute that is
 * wrong; and each hook refuses a change of another space.
 */
class ObjectDecoderErrorsTest {

    private static NetlinkMessage one(MessageWriter w) {
        return MessageReader.split(w.toByteArray()).get(0);
    }

    @Test
    void addressOfTheWrongLengthNamesIfaLocal() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(RtnlConstants.RTM_NEWADDR, 0);
        w.putU8(LinuxConstants.AF_INET).putU8(24).putU8(0).putU8(0).putU32(3);
        w.attrBytes(IfaConstants.IFA_LOCAL, new byte[] {10, 1, 2, 3, 4});
        w.endMessage();
        assertThatThrownBy(() -> AddressMessages.decode(one(w), i -> "d0"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("RTM_NEWADDR/IFA_LOCAL");
    }

    @Test
    void prefixLongerThanTheAddressIsMalformedNotAConfigError() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(RtnlConstants.RTM_NEWADDR, 0);
        w.putU8(LinuxConstants.AF_INET).putU8(40).putU8(0).putU8(0).putU32(3);
        w.attrBytes(IfaConstants.IFA_LOCAL, new byte[] {10, 1, 2, 3});
        w.endMessage();
        assertThatThrownBy(() -> AddressMessages.decode(one(w), i -> "d0"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("prefix length 40");
    }

    @Test
    void addressMessageWithoutAddressIsMalformed() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(RtnlConstants.RTM_NEWADDR, 0);
        w.putU8(LinuxConstants.AF_INET6).putU8(64).putU8(0).putU8(0).putU32(3);
        w.attrString(IfaConstants.IFA_LABEL, "d0");
        w.endMessage();
        assertThatThrownBy(() -> AddressMessages.decode(one(w), i -> "d0"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("IFA_LOCAL");
    }

    @Test
    void routeGatewayOfTheWrongLengthNamesRtaGateway() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(RtnlConstants.RTM_NEWROUTE, 0);
        w.putU8(LinuxConstants.AF_INET6).putU8(0).putU8(0).putU8(0).putU8(254).putU8(3).putU8(0).putU8(1).putU32(0);
        w.attrBytes(RtaConstants.RTA_GATEWAY, new byte[] {10, 0, 0, 1});
        w.endMessage();
        assertThatThrownBy(() -> RouteMessages.decode(one(w), i -> "d0"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("RTM_NEWROUTE/RTA_GATEWAY");
    }

    @Test
    void multipathRouteReportsItsFirstNextHop() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(RtnlConstants.RTM_NEWROUTE, 0);
        w.putU8(LinuxConstants.AF_INET).putU8(16).putU8(0).putU8(0).putU8(254).putU8(3).putU8(0).putU8(1).putU32(0);
        w.attrBytes(RtaConstants.RTA_DST, new byte[] {10, 8, 0, 0});
        int mp = w.beginNested(RtaConstants.RTA_MULTIPATH);
        // struct rtnexthop {len 16, flags 0, hops 0, ifindex 3} + RTA_GATEWAY 10.1.2.1
        w.putU16(16).putU8(0).putU8(0).putU32(3);
        w.attrBytes(RtaConstants.RTA_GATEWAY, new byte[] {10, 1, 2, 1});
        w.putU16(16).putU8(0).putU8(0).putU32(4);
        w.attrBytes(RtaConstants.RTA_GATEWAY, new byte[] {10, 1, 2, 2});
        w.endNested(mp);
        w.endMessage();
        RouteInfo r = RouteMessages.decode(one(w), i -> "d" + i);
        assertThat(r.destination()).isEqualTo(IpPrefix.parse("10.8.0.0/16"));
        assertThat(r.gateway()).isEqualTo(IpAddresses.parse("10.1.2.1"));
        assertThat(r.deviceIndex()).isEqualTo(3);
        assertThat(r.device()).isEqualTo("d3");
    }

    @Test
    void routeOfAnotherFamilyIsNotListed() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(RtnlConstants.RTM_NEWROUTE, 0);
        w.putU8(128).putU8(32).putU8(0).putU8(0).putU8(254).putU8(0).putU8(0).putU8(1).putU32(0); // RTNL_FAMILY_IPMR
        w.endMessage();
        assertThat(RouteMessages.isListed(one(w))).isFalse();
        assertThatThrownBy(() -> RouteMessages.decode(one(w), i -> null)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void fdbEntryWithoutMacNamesNdaLladdr() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(RtnlConstants.RTM_NEWNEIGH, 0);
        NeighborMessages.ndmsg(w, LinuxConstants.AF_BRIDGE, 5, NdaConstants.NUD_PERMANENT, NdaConstants.NTF_SELF);
        w.attrBytes(NdaConstants.NDA_DST, new byte[] {10, 0, 0, 2});
        w.endMessage();
        assertThatThrownBy(() -> FdbMessages.decode(one(w), i -> "vx0"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("RTM_NEWNEIGH/NDA_LLADDR");
    }

    @Test
    void fdbEntryOfANonEthernetDeviceHasNoMac() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(RtnlConstants.RTM_NEWNEIGH, 0);
        NeighborMessages.ndmsg(w, LinuxConstants.AF_BRIDGE, 5, NdaConstants.NUD_PERMANENT, NdaConstants.NTF_SELF);
        w.attrBytes(NdaConstants.NDA_LLADDR, new byte[16]);
        w.attrU16(NdaConstants.NDA_VLAN, 10);
        w.endMessage();
        FdbInfo f = FdbMessages.decode(one(w), i -> "x0");
        assertThat(f.mac()).isNull();
        assertThat(f.vlan()).isEqualTo(10);
        assertThat(f.self()).isTrue();
        assertThat(f.master()).isFalse();
    }

    @Test
    void neighbourWithoutAddressNamesNdaDst() {
        MessageWriter w = new MessageWriter();
        w.beginMessage(RtnlConstants.RTM_NEWNEIGH, 0);
        NeighborMessages.ndmsg(w, LinuxConstants.AF_INET, 3, NdaConstants.NUD_REACHABLE, 0);
        w.endMessage();
        assertThatThrownBy(() -> NeighborMessages.decode(one(w), i -> "d0"))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("RTM_NEWNEIGH/NDA_DST");
    }

    @Test
    void hooksRefuseChangesOfAnotherSpace() {
        AddAddress addr = new AddAddress("d0", IpPrefix.parse("10.0.0.1/8"));
        AddRoute route = new AddRoute(new RouteSpec(IpPrefix.parse("0.0.0.0/0"), IpAddresses.parse("10.0.0.1"), null, null, null, null), false);
        MessageWriter w = new MessageWriter();
        assertThatThrownBy(() -> AddressMessages.encode(w, route, n -> 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RouteMessages.encode(w, addr, n -> 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NeighborMessages.encode(w, addr, n -> 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FdbMessages.encode(w, addr, n -> 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(w.size()).isZero();
    }
}
