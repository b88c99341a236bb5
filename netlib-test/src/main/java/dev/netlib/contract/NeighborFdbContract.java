package dev.netlib.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.Errno;
import dev.netlib.error.KernelException;
import dev.netlib.error.NotFoundException;
import dev.netlib.error.NotSupportedException;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.NeighborInfo;
import dev.netlib.model.NeighborState;
import dev.netlib.model.OperState;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Neighbour entries and the bridge FDB. A real kernel lists entries of its own in the FDB (each
 * port's MAC, the 33:33:00:00:00:01 all-nodes multicast address): assertions filter by MAC.
 */
public abstract class NeighborFdbContract extends AddressRouteContract {

    static List<NeighborInfo> neighbor(Netlib ns, String address) {
        var a = IpAddresses.parse(address);
        return ns.neighbors().list().stream().filter(n -> n.address().equals(a)).toList();
    }

    static List<FdbInfo> fdb(Netlib ns, String device, String mac) {
        MacAddress m = MacAddress.parse(mac);
        return ns.fdb().list(device).stream().filter(f -> f.mac().equals(m)).toList();
    }

    @Test
    void neighboursAddReplaceDeleteList() {
        Netlib ns = newHost();
        ns.veth("v0").peer("v1").create();
        ns.neighbors().add("v0", "10.1.0.5", "02:00:00:00:00:05");
        ns.neighbors().add("v0", "fd00:1::5", "02:00:00:00:00:15");
        assertThat(neighbor(ns, "10.1.0.5")).singleElement().satisfies(n -> {
            assertThat(n.device()).isEqualTo("v0");
            assertThat(n.index()).isEqualTo(info(ns, "v0").index());
            assertThat(n.mac()).isEqualTo(MacAddress.parse("02:00:00:00:00:05"));
            assertThat(n.states()).contains(NeighborState.PERMANENT);
        });
        assertThat(neighbor(ns, "fd00:1::5")).singleElement().extracting(NeighborInfo::mac)
                .isEqualTo(MacAddress.parse("02:00:00:00:00:15"));

        assertThatThrownBy(() -> ns.neighbors().add("v0", "10.1.0.5", "02:00:00:00:00:06"))
                .isInstanceOf(AlreadyExistsException.class);
        ns.neighbors().replace("v0", "10.1.0.5", "02:00:00:00:00:06");
        assertThat(neighbor(ns, "10.1.0.5")).singleElement().extracting(NeighborInfo::mac)
                .isEqualTo(MacAddress.parse("02:00:00:00:00:06"));
        ns.neighbors().replace("v0", "10.1.0.7", "02:00:00:00:00:07");
        assertThat(neighbor(ns, "10.1.0.7")).hasSize(1);

        ns.neighbors().delete("v0", "10.1.0.5");
        ns.neighbors().delete("v0", "fd00:1::5");
        assertThat(neighbor(ns, "10.1.0.5")).isEmpty();
        assertThat(neighbor(ns, "fd00:1::5")).isEmpty();
        assertErrno("ENOENT", () -> ns.neighbors().delete("v0", "10.1.0.5"));
        assertThatThrownBy(() -> ns.neighbors().add("nosuch", "10.1.0.5", "02:00:00:00:00:05"))
                .isInstanceOf(NotFoundException.class);
    }

    /** A namespace with bridge br0, port p1 (peer p0), and vxlan vx0 (VNI 42, port 4789, no learning). */
    Netlib bridgeAndVxlan() {
        Netlib ns = newHost();
        ns.bridge("br0").create();
        ns.veth("p0").peer("p1").create();
        ns.link("p1").master("br0");
        ns.vxlan("vx0").vni(42).port(4789).learning(false).create();
        return ns;
    }

    @Test
    void fdbMasterEntriesOnABridgePort() {
        Netlib ns = bridgeAndVxlan();
        int bridgeIndex = info(ns, "br0").index();
        ns.fdb().entry("p1", "02:00:00:00:00:11").master().add();
        assertThat(fdb(ns, "p1", "02:00:00:00:00:11")).singleElement().satisfies(f -> {
            assertThat(f.master()).isTrue();
            assertThat(f.masterIndex()).isEqualTo(bridgeIndex);
            assertThat(f.isPermanent()).isTrue();
            assertThat(f.index()).isEqualTo(info(ns, "p1").index());
        });
        assertThatThrownBy(() -> ns.fdb().entry("p1", "02:00:00:00:00:11").master().add())
                .isInstanceOf(AlreadyExistsException.class);
        ns.fdb().entry("p1", "02:00:00:00:00:11").master().delete();
        assertThat(fdb(ns, "p1", "02:00:00:00:00:11")).isEmpty();
        assertErrno("ENOENT", () -> ns.fdb().entry("p1", "02:00:00:00:00:11").master().delete());
        // p0 is no bridge port: it has no master table
        assertThatThrownBy(() -> ns.fdb().entry("p0", "02:00:00:00:00:12").master().add())
                .isInstanceOf(NotSupportedException.class);
    }

    @Test
    void fdbStaticMasterEntriesAreNoLocalAddresses() {
        Netlib ns = bridgeAndVxlan();
        String mac = "02:00:00:00:00:31";
        ns.fdb().entry("p1", mac).master().staticEntry().add();
        assertThat(fdb(ns, "p1", mac)).singleElement().satisfies(f -> {
            assertThat(f.master()).isTrue();
            assertThat(f.isPermanent()).as("static: forwarded out of the port, not local").isFalse();
            assertThat(f.states()).as("fdb_to_nud(): static is NUD_NOARP").containsExactly(NeighborState.NOARP);
        });
        ns.fdb().entry("p1", mac).master().replace(); // permanent: a local address of the bridge
        assertThat(fdb(ns, "p1", mac)).singleElement().satisfies(f -> assertThat(f.isPermanent()).isTrue());
        ns.fdb().entry("p1", mac).master().staticEntry().replace();
        assertThat(fdb(ns, "p1", mac)).singleElement().satisfies(f -> assertThat(f.states()).containsExactly(NeighborState.NOARP));
        ns.fdb().entry("p1", mac).master().delete(); // a delete matches MAC and port, whatever the state
        assertThat(fdb(ns, "p1", mac)).isEmpty();
    }

    @Test
    void fdbDynamicMasterEntriesNeedAPortThatLearns() {
        // fdb_add_entry(): a port not LEARNING or FORWARDING takes only static and local entries
        Netlib ns = bridgeAndVxlan();
        String mac = "02:00:00:00:00:32";
        assertThatThrownBy(() -> ns.fdb().entry("p1", mac).master().dynamic().add()).as("bridge and port down")
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
        ns.link("br0").up();
        ns.link("p1").up();
        assertThatThrownBy(() -> ns.fdb().entry("p1", mac).master().dynamic().add()).as("port up without carrier (peer down)")
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
        ns.link("p0").up();
        // the port starts forwarding when linkwatch hands it the carrier, after the call returns;
        // the bridge's carrier, and so its operstate, follows its first forwarding port
        eventually(() -> assertThat(info(ns, "br0").operState()).isEqualTo(OperState.UP));
        ns.fdb().entry("p1", mac).master().dynamic().add();
        assertThat(fdb(ns, "p1", mac)).singleElement().satisfies(f -> assertThat(f.states()).containsExactly(NeighborState.REACHABLE));
        ns.fdb().entry("p1", mac).master().delete();
    }

    @Test
    void fdbSelfEntriesOnAVxlanWithAppend() {
        Netlib ns = bridgeAndVxlan();
        String zero = "00:00:00:00:00:00";
        ns.fdb().entry("vx0", zero).destination("192.0.2.1").self().add();
        ns.fdb().entry("vx0", zero).destination("192.0.2.2").self().append();
        assertThat(fdb(ns, "vx0", zero)).extracting(FdbInfo::destination)
                .containsExactlyInAnyOrder(IpAddresses.parse("192.0.2.1"), IpAddresses.parse("192.0.2.2"));
        assertThat(fdb(ns, "vx0", zero)).allSatisfy(f -> assertThat(f.self()).isTrue());
        assertThatThrownBy(() -> ns.fdb().entry("vx0", zero).destination("192.0.2.3").self().add())
                .as("add (not append) of a MAC the vxlan knows").isInstanceOf(AlreadyExistsException.class);

        ns.fdb().entry("vx0", "02:00:00:00:00:13").destination("192.0.2.3").self().add();
        assertThat(fdb(ns, "vx0", "02:00:00:00:00:13")).singleElement().extracting(FdbInfo::destination)
                .isEqualTo(IpAddresses.parse("192.0.2.3"));

        ns.fdb().entry("vx0", zero).destination("192.0.2.2").self().delete();
        assertThat(fdb(ns, "vx0", zero)).extracting(FdbInfo::destination).containsExactly(IpAddresses.parse("192.0.2.1"));
        assertThat(ns.fdb().list()).anyMatch(f -> f.device().equals("vx0"));
        assertThatThrownBy(() -> ns.fdb().entry("nosuch", "02:00:00:00:00:13").self().add())
                .isInstanceOf(NotFoundException.class);
        assertErrno("EINVAL", () -> ns.fdb().entry("vx0", "02:00:00:00:00:14").self().add()); // no dst, no default remote
    }

    @Test
    void fdbSelfEntriesOnAnOrdinaryDevice() {
        Netlib ns = bridgeAndVxlan();
        ns.fdb().entry("p0", "02:00:00:00:00:21").self().add();
        assertThat(fdb(ns, "p0", "02:00:00:00:00:21")).singleElement().satisfies(f -> {
            assertThat(f.self()).isTrue();
            assertThat(f.isPermanent()).isTrue();
        });
        assertErrno("EINVAL", () -> ns.fdb().entry("p0", "02:00:00:00:00:22").self().dynamic().add());
        ns.fdb().entry("p0", "02:00:00:00:00:21").self().delete();
        assertThat(fdb(ns, "p0", "02:00:00:00:00:21")).isEmpty();
    }
}
