package dev.netlib.linux.internal.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import dev.netlib.model.RouteInfo;
import dev.netlib.model.RouteScope;
import dev.netlib.model.RouteSpec;
import dev.netlib.spi.change.AddRoute;
import dev.netlib.spi.change.DeleteRoute;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.IpPrefix;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes for the RTA_* space, both directions: route changes encode to exactly what
 * {@code ip route} 6.1 sent, and the kernel's replies to {@code ip route show table all} decode
 * to what {@code ip -j route show table all} printed (without the local table). No root needed.
 */
class RouteGoldenTest {

    @BeforeAll
    static void littleEndianOnly() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "golden fixtures were captured on a little-endian host");
    }

    private static void golden(String fixture, KernelChange change) {
        ObjectFixture.assertEncodes(fixture, change, RouteMessages::encode);
    }

    private static InetAddress ip(String s) {
        return IpAddresses.parse(s);
    }

    private static RouteSpec route(String dst, String via, String dev, RouteScope scope, Integer table, Integer metric) {
        return new RouteSpec(IpPrefix.parse(dst), via == null ? null : ip(via), dev, scope, table, metric);
    }

    @Test
    void defaultViaGateway() {
        golden("route-add-default4", new AddRoute(route("0.0.0.0/0", "10.1.2.1", null, null, null, null), false));
    }

    @Test
    void defaultViaGatewayOnDevice() {
        golden("route-add-default4-dev", new AddRoute(route("0.0.0.0/0", "10.1.2.1", "d0", null, null, null), false));
    }

    @Test
    void deviceRouteGetsLinkScope() {
        golden("route-add-dev4", new AddRoute(route("10.9.0.0/16", null, "d0", null, null, null), false));
    }

    @Test
    void everyField() {
        golden("route-add-full4", new AddRoute(route("10.8.0.0/16", "10.1.2.1", "d0", RouteScope.UNIVERSE, 100, 50), false));
    }

    @Test
    void tableAbove255GoesInRtaTable() {
        golden("route-add-bigtable4", new AddRoute(route("10.7.0.0/16", "10.1.2.1", null, null, 1000, null), false));
    }

    @Test
    void explicitLinkScopeAndMetric() {
        golden("route-add-scope-link4", new AddRoute(route("10.6.0.0/16", null, "d0", RouteScope.LINK, null, 7), false));
    }

    @Test
    void replace() {
        golden("route-replace4", new AddRoute(route("10.8.0.0/16", "10.1.2.1", null, null, null, null), true));
    }

    @Test
    void ipv6Default() {
        golden("route-add-default6", new AddRoute(route("::/0", "fd00::1", "d0", null, null, null), false));
    }

    @Test
    void ipv6NetworkWithMetric() {
        golden("route-add-net6", new AddRoute(route("fd01::/48", "fd00::1", null, null, null, 20), false));
    }

    @Test
    void delete() {
        golden("route-del4", new DeleteRoute(route("10.8.0.0/16", "10.1.2.1", "d0", null, 100, 50)));
    }

    @Test
    void deleteDefault() {
        golden("route-del-default4", new DeleteRoute(route("0.0.0.0/0", "10.1.2.1", null, null, null, null)));
    }

    @Test
    void deleteIpv6Default() {
        golden("route-del-default6", new DeleteRoute(route("::/0", "fd00::1", "d0", null, null, null)));
    }

    @Test
    void dumpRequestIsWhatIpSendsForTableAll() {
        MessageWriter w = new MessageWriter();
        RouteMessages.dumpRequest(w);
        assertThat(HexFormat.of().formatHex(w.toByteArray())).isEqualTo(ObjectFixture.load("route-dump").requestHex());
    }

    @Test
    void gatewayOfTheOtherFamilyIsRefusedBeforeSending() {
        MessageWriter w = new MessageWriter();
        assertThatThrownBy(() -> RouteMessages.encode(w, new AddRoute(route("10.0.0.0/8", "fd00::1", null, null, null, null), false),
                n -> 3)).isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("ip route add 10.0.0.0/8 via fd00::1")
                .hasMessageContaining("same family");
        assertThat(w.size()).isZero();
    }

    @Test
    void decodesIpv4WhatIpPrinted() {
        checkDump("route-show4", 5);
    }

    @Test
    void decodesIpv6WhatIpPrinted() {
        checkDump("route-show6", 5);
    }

    @Test
    void decodedDetails() {
        ObjectFixture f = ObjectFixture.load("route-show6");
        List<RouteInfo> ours = listed(f);
        assertThat(ours).contains(new RouteInfo(IpPrefix.parse("fd01::/48"), ip("fd00::1"), "d0", 3, RouteScope.UNIVERSE,
                1000, 20, RtaConstants.RTPROT_BOOT, RtaConstants.RTN_UNICAST));
        RouteInfo def = ours.stream().filter(RouteInfo::isDefault).findFirst().orElseThrow();
        assertThat(def.destination()).isEqualTo(IpPrefix.parse("::/0"));
        assertThat(def.metric()).isEqualTo(1024);
        List<RouteInfo> v4 = listed(ObjectFixture.load("route-show4"));
        assertThat(v4).contains(new RouteInfo(IpPrefix.parse("0.0.0.0/0"), ip("10.1.2.1"), "d0", 3, RouteScope.UNIVERSE,
                254, 0, RtaConstants.RTPROT_BOOT, RtaConstants.RTN_UNICAST));
        assertThat(v4).contains(new RouteInfo(IpPrefix.parse("10.1.2.0/24"), null, "d0", 3, RouteScope.LINK,
                254, 0, RtaConstants.RTPROT_KERNEL, RtaConstants.RTN_UNICAST));
    }

    private static List<RouteInfo> listed(ObjectFixture f) {
        List<RouteInfo> ours = new ArrayList<>();
        for (NetlinkMessage m : f.replyMessages()) {
            if (RouteMessages.isListed(m)) {
                ours.add(RouteMessages.decode(m, f::nameOf));
            }
        }
        return ours;
    }

    /** Every route ip printed outside the local table, field by field, in dump order. */
    private static void checkDump(String fixture, int expected) {
        ObjectFixture f = ObjectFixture.load(fixture);
        // every message decodes, local table included
        for (NetlinkMessage m : f.replyMessages()) {
            RouteMessages.decode(m, f::nameOf);
        }
        List<RouteInfo> ours = listed(f);
        List<RouteInfo> ip = new ArrayList<>();
        for (Map<String, Object> r : f.jsonArray()) {
            String tableWord = (String) r.getOrDefault("table", "main");
            if (tableWord.equals("local")) {
                continue;
            }
            int table = tableWord.equals("main") ? 254 : Integer.parseInt(tableWord);
            String dst = (String) r.get("dst");
            boolean v6 = fixture.endsWith("6");
            IpPrefix p = dst.equals("default") ? IpPrefix.parse(v6 ? "::/0" : "0.0.0.0/0") : IpPrefix.parse(dst);
            String dev = (String) r.get("dev");
            RouteScope scope = switch ((String) r.getOrDefault("scope", "global")) {
                case "global" -> RouteScope.UNIVERSE;
                case "link" -> RouteScope.LINK;
                case "host" -> RouteScope.HOST;
                default -> throw new AssertionError(r);
            };
            int protocol = switch ((String) r.getOrDefault("protocol", "boot")) {
                case "boot" -> RtaConstants.RTPROT_BOOT;
                case "kernel" -> RtaConstants.RTPROT_KERNEL;
                default -> throw new AssertionError(r);
            };
            int type = switch ((String) r.getOrDefault("type", "unicast")) {
                case "unicast" -> RtaConstants.RTN_UNICAST;
                case "multicast" -> RtaConstants.RTN_MULTICAST;
                default -> throw new AssertionError(r);
            };
            String gw = (String) r.get("gateway");
            ip.add(new RouteInfo(p, gw == null ? null : ip(gw), dev, f.links().get(dev), scope, table,
                    r.containsKey("metric") ? ((Long) r.get("metric")).intValue() : 0, protocol, type));
        }
        assertThat(ip).hasSize(expected);
        assertThat(ours).containsExactlyElementsOf(ip);
    }
}
