package dev.netlib.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.error.KernelException;
import dev.netlib.error.NotSupportedException;
import dev.netlib.model.MacvlanMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A bridge's table keyed by MAC and VLAN (br_fdb.c) and its ports' promiscuity (br_if.c
 * br_manage_promisc()) on the fake. The machine the contract suite runs on has no bridge VLAN
 * filtering built in, so what needs it is checked here, against the kernel source, on
 * {@link FakeKernel#withBridgeVlanFiltering()}; the plain fake is that machine's kernel.
 */
class FakeBridgeVlanFdbTest {
    private static final String M = "02:00:00:00:00:b1";

    /** A bridge br0 (vlan_filtering as given) with port p1 (peer p0, not a port). */
    private static Netlib bridgeWithPort(FakeKernel kernel, boolean vlanFiltering) {
        Netlib ns = Netlib.open(kernel);
        ns.bridge("br0").vlanFiltering(vlanFiltering).create();
        ns.veth("p0").peer("p1").create();
        ns.link("p1").master("br0");
        return ns;
    }

    /** The bridge-table entries of {@code mac} on {@code device}: "vlan N state". */
    private static List<String> entries(Netlib ns, String device, String mac) {
        return ns.fdb().list(device).stream().filter(f -> f.master() && f.mac().toString().equals(mac))
                .map(f -> "vlan " + f.vlan() + " " + f.states()).sorted().toList();
    }

    /** The device's own (self) entries' MACs. */
    private static List<String> own(Netlib ns, String device) {
        return ns.fdb().list(device).stream().filter(f -> f.self() && !f.master()).map(f -> f.mac().toString()).sorted().toList();
    }

    private static String errno(Runnable r) {
        try {
            r.run();
        } catch (KernelException e) {
            return e.errno().name();
        }
        return "no error";
    }

    @Test
    void withoutVlanFilteringBuiltInEveryEntryIsOnVlanZero() {
        FakeKernel plain = new FakeKernel();
        assertThatThrownBy(() -> Netlib.open(plain).bridge("brv").vlanFiltering(true).create()).isInstanceOf(NotSupportedException.class);
        Netlib ns = bridgeWithPort(plain, false);
        ns.fdb().entry("p1", M).master().staticEntry().add();
        assertThat(entries(ns, "p1", M)).containsExactly("vlan 0 [NOARP]");
        assertThat(errno(() -> ns.fdb().entry("p1", M).master().staticEntry().vlan(1).add())).as("no VLAN group").isEqualTo("EINVAL");
        assertThat(errno(() -> ns.fdb().entry("p1", M).master().vlan(1).delete())).isEqualTo("ENOENT");
        assertThat(entries(ns, "p1", M)).containsExactly("vlan 0 [NOARP]");
    }

    @Test
    void anAddWithoutAVlanWritesEveryVlanOfThePortAndADeleteTakesThemAll() {
        Netlib ns = bridgeWithPort(FakeKernel.withBridgeVlanFiltering(), false);
        ns.fdb().entry("p1", M).master().staticEntry().add();
        assertThat(entries(ns, "p1", M)).as("vlan 0 and the default PVID, vlan_filtering off or not")
                .containsExactly("vlan 0 [NOARP]", "vlan 1 [NOARP]");
        assertThatThrownBy(() -> ns.fdb().entry("p1", M).master().staticEntry().vlan(1).add()).isInstanceOf(AlreadyExistsException.class);
        assertThat(errno(() -> ns.fdb().entry("p1", M).master().staticEntry().vlan(2).add())).as("not in the port's group").isEqualTo("EINVAL");

        ns.fdb().entry("p1", M).master().vlan(1).delete();
        assertThat(entries(ns, "p1", M)).as("a VLAN named: that one only").containsExactly("vlan 0 [NOARP]");
        ns.fdb().entry("p1", M).master().staticEntry().vlan(1).add();
        ns.fdb().entry("p1", M).master().delete();
        assertThat(entries(ns, "p1", M)).as("no VLAN: vlan 0 and the port's").isEmpty();
        assertThat(errno(() -> ns.fdb().entry("p1", M).master().delete())).isEqualTo("ENOENT");

        ns.fdb().entry("p1", M).master().staticEntry().vlan(1).add();
        ns.fdb().entry("p1", M).master().delete();
        assertThat(entries(ns, "p1", M)).as("one of them was there: no error").isEmpty();
    }

    @Test
    void theBridgeItselfTakesPermanentEntriesOnItsVlansToo() {
        Netlib ns = bridgeWithPort(FakeKernel.withBridgeVlanFiltering(), true);
        assertThat(errno(() -> ns.fdb().entry("br0", M).self().staticEntry().add())).as("fdb_add_entry(): without NUD_PERMANENT")
                .isEqualTo("EINVAL");
        ns.fdb().entry("br0", M).self().add();
        assertThat(entries(ns, "br0", M)).containsExactly("vlan 0 [PERMANENT]", "vlan 1 [PERMANENT]");
        assertThat(errno(() -> ns.fdb().entry("p1", M).master().vlan(1).delete())).as("it points at no port").isEqualTo("ENOENT");
        ns.fdb().entry("br0", M).self().delete();
        assertThat(entries(ns, "br0", M)).isEmpty();
    }

    @Test
    void withVlanFilteringALonePortKeepsItsUnicastListUntilASecondPortJoins() {
        for (boolean vlanFiltering : List.of(false, true)) {
            Netlib ns = Netlib.open(FakeKernel.withBridgeVlanFiltering());
            ns.bridge("br0").vlanFiltering(vlanFiltering).create();
            ns.fdb().entry("br0", M).self().add(); // a static MAC of the bridge's table
            ns.veth("p0").peer("p1").create();
            ns.fdb().entry("p1", M).self().add(); // the port's own unicast entry for that MAC
            ns.link("p1").master("br0");
            if (vlanFiltering) {
                assertThat(own(ns, "p1")).as("the only automatic port is not made promiscuous: no br_fdb_unsync_static()")
                        .containsExactly(M);
                ns.veth("q0").peer("q1").create();
                ns.link("q1").master("br0");
            }
            assertThat(own(ns, "p1")).as("promiscuous (vlan_filtering " + vlanFiltering + "): the bridge's static MAC left its list")
                    .isEmpty();
        }
    }

    @Test
    void aLoneMacvlanPortOfAVlanFilteringBridgeCarriesTheBridgesStaticMacs() {
        Netlib ns = Netlib.open(FakeKernel.withBridgeVlanFiltering());
        ns.bridge("br0").vlanFiltering(true).create();
        ns.fdb().entry("br0", M).self().add();
        ns.dummy("d0").create();
        ns.macvlan("mv0").parent("d0").mode(MacvlanMode.PASSTHRU).create();
        ns.fdb().entry("mv0", M).self().add(); // its own entry first: the bridge's sync takes one more reference
        ns.link("mv0").master("br0");
        assertThat(own(ns, "mv0")).containsExactly(M);

        String n = "02:00:00:00:00:b2";
        ns.fdb().entry("mv0", n).master().staticEntry().add(); // fdb_add_hw_addr(), once per VLAN entry
        assertThat(own(ns, "mv0")).as("br_fdb_sync_static() and fdb_add_hw_addr(): the port filters").containsExactly(M, n);
        ns.fdb().entry("mv0", n).master().delete();
        assertThat(own(ns, "mv0")).as("fdb_del_hw_addr()").containsExactly(M);

        ns.fdb().entry("mv0", M).self().delete(); // the user's reference; the bridge's keeps the entry
        assertThat(own(ns, "mv0")).containsExactly(M);
        ns.dummy("d1").create();
        ns.link("d1").master("br0"); // two automatic ports: both promiscuous, mv0 unsynced
        assertThat(own(ns, "mv0")).isEmpty();
    }
}
