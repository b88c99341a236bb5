package dev.netlib.linux.internal.rtnl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.error.InvalidConfigException;
import dev.netlib.linux.internal.netlink.MessageWriter;
import dev.netlib.linux.internal.netlink.NetlinkMessage;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.FdbSpec;
import dev.netlib.model.NeighborState;
import dev.netlib.spi.change.AddFdb;
import dev.netlib.spi.change.DeleteFdb;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes for the NDA_* space with AF_BRIDGE, both directions: FDB changes encode to exactly
 * what {@code bridge fdb} 6.1 sent, and the kernel's replies to {@code bridge fdb show} decode to
 * what {@code bridge -j fdb show} printed. No root needed.
 */
class FdbGoldenTest {

    @BeforeAll
    static void littleEndianOnly() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "golden fixtures were captured on a little-endian host");
    }

    private static void golden(String fixture, KernelChange change, boolean sameCommand) {
        ObjectFixture f = ObjectFixture.load(fixture);
        MessageWriter w = new MessageWriter();
        FdbMessages.encode(w, change, f.resolver());
        assertThat(w.messageCount()).isEqualTo(1);
        assertThat(HexFormat.of().formatHex(w.toByteArray())).as("%s: %s", fixture, f.command()).isEqualTo(f.requestHex());
        if (sameCommand) {
            assertThat(change.command()).as("command of %s", fixture).isEqualTo(f.plainCommand());
        }
    }

    private static FdbSpec spec(String dev, String mac, String dst, Integer vni, boolean self, boolean master, boolean permanent) {
        return new FdbSpec(dev, MacAddress.parse(mac), dst == null ? null : IpAddresses.parse(dst), vni, self, master, permanent);
    }

    @Test
    void vxlanEntryToVtep() {
        golden("fdb-add-self", new AddFdb(spec("vx0", "02:00:00:00:00:aa", "10.0.0.2", null, true, false, true), false), true);
    }

    @Test
    void vxlanEntryReplaced() {
        golden("fdb-replace-self", new AddFdb(spec("vx0", "02:00:00:00:00:aa", "10.0.0.2", null, true, false, true), false, true), true);
    }

    @Test
    void selfIsAssumedWhenNeitherIsGiven() {
        golden("fdb-add-self", new AddFdb(spec("vx0", "02:00:00:00:00:aa", "10.0.0.2", null, false, false, true), false), false);
    }

    @Test
    void vxlanEntryWithVni() {
        golden("fdb-add-vni", new AddFdb(spec("vx0", "02:00:00:00:00:bb", "10.0.0.4", 100, true, false, true), false), true);
    }

    @Test
    void floodEntryIsAppended() {
        golden("fdb-append-flood", new AddFdb(spec("vx0", "00:00:00:00:00:00", "10.0.0.3", null, true, false, true), true), true);
    }

    @Test
    void bridgeEntry() {
        golden("fdb-add-master", new AddFdb(spec("d0", "02:00:00:00:00:cc", null, null, false, true, true), false), true);
    }

    @Test
    void dynamicBridgeEntry() {
        // FdbCommands renders no "dynamic" word: only the bytes are compared
        golden("fdb-add-master-dynamic", new AddFdb(spec("d0", "02:00:00:00:00:cd", null, null, false, true, false), false), false);
    }

    /** The overlay's bridge entry for a remote MAC: forwarded out of the VXLAN port, never a local address. */
    @Test
    void staticBridgeEntryReplaced() {
        golden("fdb-replace-master-static", new AddFdb(new FdbSpec("d0", MacAddress.parse("02:00:00:00:00:cf"), null, null, false, true,
                FdbSpec.State.STATIC), false, true), true);
    }

    /** NDA_VLAN (u16) after NDA_DST and before NDA_VNI, as bridge(8) puts it. */
    @Test
    void bridgeEntryOnAVlan() {
        golden("fdb-add-master-vlan", new AddFdb(new FdbSpec("d0", MacAddress.parse("02:00:00:00:00:d0"), null, null, false, true,
                FdbSpec.State.STATIC, 7), false), true);
    }

    @Test
    void deleteBridgeEntryOnAVlan() {
        golden("fdb-del-master-vlan", new DeleteFdb(new FdbSpec("d0", MacAddress.parse("02:00:00:00:00:d0"), null, null, false, true,
                FdbSpec.State.PERMANENT, 7)), false);
    }

    @Test
    void vxlanEntryWithVniAndVlan() {
        golden("fdb-add-self-vni-vlan", new AddFdb(new FdbSpec("vx0", MacAddress.parse("02:00:00:00:00:d1"), IpAddresses.parse("10.0.0.4"),
                100, true, false, FdbSpec.State.PERMANENT, 7), false), true);
    }

    @Test
    void vlanOutOfRangeIsRefusedBeforeSending() {
        MessageWriter w = new MessageWriter();
        assertThatThrownBy(() -> FdbMessages.encode(w, new AddFdb(new FdbSpec("d0", MacAddress.parse("02:00:00:00:00:d0"), null, null,
                false, true, FdbSpec.State.STATIC, 4095), false), n -> 4)).isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("bridge fdb add 02:00:00:00:00:d0 dev d0 ").hasMessageContaining("VLAN 4095 is out of range");
        assertThat(w.size()).isZero();
    }

    @Test
    void selfAndMaster() {
        golden("fdb-add-self-master", new AddFdb(spec("d0", "02:00:00:00:00:ce", null, null, true, true, true), false), true);
    }

    @Test
    void deleteVxlanEntry() {
        // bridge fdb del is typed without "permanent"; the bytes carry the same state
        golden("fdb-del-self", new DeleteFdb(spec("vx0", "02:00:00:00:00:aa", "10.0.0.2", null, true, false, true)), false);
    }

    @Test
    void deleteOneFloodEntryByVtep() {
        golden("fdb-del-flood", new DeleteFdb(spec("vx0", "00:00:00:00:00:00", "10.0.0.3", null, true, false, true)), false);
    }

    @Test
    void deleteBridgeEntry() {
        golden("fdb-del-master", new DeleteFdb(spec("d0", "02:00:00:00:00:cc", null, null, false, true, true)), false);
    }

    @Test
    void dumpRequestIsWhatBridgeSends() {
        MessageWriter w = new MessageWriter();
        FdbMessages.dumpRequest(w);
        assertThat(HexFormat.of().formatHex(w.toByteArray())).isEqualTo(ObjectFixture.load("fdb-dump").requestHex());
    }

    @Test
    void vniOutOfRangeIsRefusedBeforeSending() {
        MessageWriter w = new MessageWriter();
        assertThatThrownBy(() -> FdbMessages.encode(w,
                new AddFdb(spec("vx0", "02:00:00:00:00:aa", "10.0.0.2", 1 << 24, true, false, true), false), n -> 5))
                .isInstanceOf(InvalidConfigException.class).hasMessageStartingWith("bridge fdb add 02:00:00:00:00:aa dev vx0 ")
                .hasMessageContaining("VNI 16777216 is out of range");
        assertThat(w.size()).isZero();
    }

    @Test
    void decodesWhatBridgePrinted() {
        ObjectFixture f = ObjectFixture.load("fdb-show");
        List<FdbInfo> ours = new ArrayList<>();
        for (NetlinkMessage m : f.replyMessages()) {
            assertThat(FdbMessages.isListed(m)).isTrue();
            ours.add(FdbMessages.decode(m, f::nameOf));
        }
        List<Map<String, Object>> json = f.jsonArray();
        assertThat(ours).hasSameSizeAs(json).hasSize(19);
        for (int i = 0; i < ours.size(); i++) {
            FdbInfo o = ours.get(i);
            Map<String, Object> j = json.get(i);
            assertThat(o.mac()).as("%s", j).isEqualTo(MacAddress.parse((String) j.get("mac")));
            assertThat(o.device()).as("%s", j).isEqualTo(j.get("ifname"));
            assertThat(o.index()).isEqualTo(f.links().get((String) j.get("ifname")));
            assertThat(o.destination()).as("%s", j).isEqualTo(j.containsKey("dst") ? IpAddresses.parse((String) j.get("dst")) : null);
            assertThat(o.vni()).as("%s", j).isEqualTo(j.containsKey("vni") ? ((Long) j.get("vni")).intValue() : null);
            @SuppressWarnings("unchecked")
            List<String> flags = (List<String>) j.get("flags");
            assertThat(o.self()).as("%s", j).isEqualTo(flags.contains("self"));
            assertThat(o.master()).as("%s", j).isEqualTo(j.containsKey("master"));
            if (j.containsKey("master")) {
                assertThat(o.masterIndex()).isEqualTo(f.links().get((String) j.get("master")));
            }
            // bridge(8): permanent if NUD_PERMANENT, static if NUD_NOARP, "" for a dynamic entry
            switch ((String) j.get("state")) {
                case "permanent" -> assertThat(o.isPermanent()).as("%s", j).isTrue();
                case "static" -> assertThat(o.states()).as("%s", j).contains(NeighborState.NOARP).doesNotContain(NeighborState.PERMANENT);
                case "" -> assertThat(o.states()).as("%s", j).doesNotContain(NeighborState.NOARP, NeighborState.PERMANENT);
                default -> throw new AssertionError(j);
            }
        }
        assertThat(ours).filteredOn(x -> x.mac().isZero()).extracting(FdbInfo::destination)
                .containsExactly(IpAddresses.parse("10.0.0.2"), IpAddresses.parse("10.0.0.3"));
    }
}
