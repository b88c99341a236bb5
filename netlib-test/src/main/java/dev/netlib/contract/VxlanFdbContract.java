package dev.netlib.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Netlib;
import dev.netlib.error.AlreadyExistsException;
import dev.netlib.model.FdbInfo;
import dev.netlib.value.IpAddresses;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A vxlan's own forwarding table and the VNI of its remotes (drivers/net/vxlan/vxlan_core.c): an
 * entry is its MAC with a list of remotes, each a destination and a VNI; a request without NDA_VNI
 * means the device's VNI, and a dump names the VNI (NDA_VNI) only where it is not the device's
 * (vxlan_fdb_info()). Each entry is shown as {@code dst D[ vni N]}, sorted, so the order in which
 * the kernel's hash table dumps them does not matter.
 */
public abstract class VxlanFdbContract extends NeighborFdbContract {

    /** The entries of {@code mac} on {@code device}: destination, VNI where reported, permanent or not. */
    static List<String> remotes(Netlib ns, String device, String mac) {
        return fdb(ns, device, mac).stream().map(VxlanFdbContract::remote).sorted().toList();
    }

    private static String remote(FdbInfo f) {
        return "dst " + IpAddresses.format(f.destination()) + (f.vni() == null ? "" : " vni " + f.vni())
                + (f.isPermanent() ? " permanent" : "");
    }

    @Test
    void fdbVniIsReportedOnlyWhereItIsNotTheDevices() {
        Netlib ns = bridgeAndVxlan(); // vx0 has VNI 42
        String own = "02:00:00:00:00:41";
        String other = "02:00:00:00:00:42";
        ns.fdb().entry("vx0", "02:00:00:00:00:40").destination("192.0.2.1").self().add();
        ns.fdb().entry("vx0", own).destination("192.0.2.1").vni(42).self().add();
        ns.fdb().entry("vx0", other).destination("192.0.2.2").vni(200).self().add();
        assertThat(remotes(ns, "vx0", "02:00:00:00:00:40")).containsExactly("dst 192.0.2.1 permanent");
        assertThat(remotes(ns, "vx0", own)).as("VNI 42 is the device's: no NDA_VNI").containsExactly("dst 192.0.2.1 permanent");
        assertThat(remotes(ns, "vx0", other)).containsExactly("dst 192.0.2.2 vni 200 permanent");

        ns.fdb().entry("vx0", own).destination("192.0.2.1").vni(7).self().replace();
        assertThat(remotes(ns, "vx0", own)).as("replace rewrites the remote's VNI").containsExactly("dst 192.0.2.1 vni 7 permanent");
        ns.fdb().entry("vx0", own).destination("192.0.2.1").self().replace();
        assertThat(remotes(ns, "vx0", own)).as("no vni: the device's again").containsExactly("dst 192.0.2.1 permanent");
        assertThatThrownBy(() -> ns.fdb().entry("vx0", other).destination("192.0.2.2").vni(300).self().add())
                .as("one entry per MAC, whatever the VNI").isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    void fdbDeleteWithADestinationTakesOnlyTheRemoteOfThatVni() {
        Netlib ns = bridgeAndVxlan();
        String mac = "02:00:00:00:00:43";
        ns.fdb().entry("vx0", mac).destination("192.0.2.3").vni(200).self().add();
        // __vxlan_fdb_delete(): a known MAC with no remote of that destination and VNI is no error and loses nothing
        ns.fdb().entry("vx0", mac).destination("192.0.2.3").vni(300).self().delete();
        ns.fdb().entry("vx0", mac).destination("192.0.2.3").self().delete(); // the device's VNI, 42
        ns.fdb().entry("vx0", mac).destination("192.0.2.99").vni(200).self().delete();
        assertThat(remotes(ns, "vx0", mac)).containsExactly("dst 192.0.2.3 vni 200 permanent");
        ns.fdb().entry("vx0", mac).destination("192.0.2.3").vni(200).self().delete();
        assertThat(remotes(ns, "vx0", mac)).isEmpty();
        assertErrno("ENOENT", () -> ns.fdb().entry("vx0", mac).destination("192.0.2.3").vni(200).self().delete());

        ns.fdb().entry("vx0", mac).destination("192.0.2.3").vni(200).self().add();
        ns.fdb().entry("vx0", mac).vni(300).self().delete(); // no destination: the whole entry, whatever the VNI
        assertThat(remotes(ns, "vx0", mac)).isEmpty();
    }

    @Test
    void fdbFloodRemotesOfOneVtepOnTwoVnis() {
        Netlib ns = bridgeAndVxlan();
        String zero = "00:00:00:00:00:00";
        ns.fdb().entry("vx0", zero).destination("192.0.2.9").self().append();
        ns.fdb().entry("vx0", zero).destination("192.0.2.9").vni(200).self().append();
        ns.fdb().entry("vx0", zero).destination("192.0.2.9").vni(42).self().append(); // the first remote again: nothing new
        assertThat(remotes(ns, "vx0", zero)).containsExactly("dst 192.0.2.9 permanent", "dst 192.0.2.9 vni 200 permanent");

        ns.fdb().entry("vx0", zero).destination("192.0.2.9").vni(200).self().delete();
        assertThat(remotes(ns, "vx0", zero)).containsExactly("dst 192.0.2.9 permanent");

        String group = "01:00:5e:00:00:01";
        ns.fdb().entry("vx0", group).destination("192.0.2.9").vni(200).self().append();
        ns.fdb().entry("vx0", group).destination("192.0.2.8").self().dynamic().append();
        assertThat(remotes(ns, "vx0", group)).as("one state for the entry: the last request's")
                .containsExactly("dst 192.0.2.8", "dst 192.0.2.9 vni 200");
        assertErrno("EOPNOTSUPP", () -> ns.fdb().entry("vx0", group).destination("192.0.2.7").self().replace());
        assertThat(remotes(ns, "vx0", group)).as("vxlan_fdb_update_existing() took the state before refusing the replace")
                .containsExactly("dst 192.0.2.8 permanent", "dst 192.0.2.9 vni 200 permanent");
        ns.fdb().entry("vx0", group).self().delete(); // every remote
        assertThat(remotes(ns, "vx0", group)).isEmpty();
        assertErrno("EOPNOTSUPP", () -> ns.fdb().entry("vx0", group).destination("192.0.2.7").self().replace());
    }

    @Test
    void fdbOfAVxlanWithADefaultRemote() {
        Netlib ns = newHost();
        ns.vxlan("vx1").vni(43).port(4789).remote("192.0.2.50").learning(false).create();
        assertThat(remotes(ns, "vx1", "00:00:00:00:00:00")).as("__vxlan_dev_create(): the default destination's entry")
                .containsExactly("dst 192.0.2.50 permanent");
        assertErrno("EINVAL", () -> ns.fdb().entry("vx1", "02:00:00:00:00:44").self().add()); // NDA_DST is required all the same
        assertErrno("EAFNOSUPPORT", () -> ns.fdb().entry("vx1", "02:00:00:00:00:44").destination("fd00::1").self().add());
        ns.fdb().entry("vx1", "00:00:00:00:00:00").destination("192.0.2.50").vni(200).self().append();
        assertThat(remotes(ns, "vx1", "00:00:00:00:00:00")).containsExactly("dst 192.0.2.50 permanent", "dst 192.0.2.50 vni 200 permanent");
    }
}
