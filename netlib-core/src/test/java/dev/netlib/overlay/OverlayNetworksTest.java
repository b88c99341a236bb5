package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.cluster.MemoryClusterStore;
import dev.netlib.error.InvalidConfigException;
import dev.netlib.fake.FakeKernel;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.model.RouteInfo;
import dev.netlib.network.DriverKind;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import dev.netlib.value.IpAddresses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overlay driver through the network layer: two hosts on FakeKernel sharing one MemoryClusterStore. */
class OverlayNetworksTest {
    private MemoryClusterStore store;
    private Netlib root;
    private final List<Networks> hosts = new ArrayList<>();
    private final List<MemoryIpamStore> localStores = new ArrayList<>();
    private final List<Namespace> hostNs = new ArrayList<>();
    @TempDir
    Path etc;

    @BeforeEach
    void hosts() {
        store = MemoryClusterStore.create();
        root = Netlib.open(new FakeKernel());
        for (int h = 1; h <= 3; h++) {
            Namespace ns = root.namespaces().create("h" + h);
            hostNs.add(ns);
            Netlib hn = root.in(ns);
            hn.dummy("eth0").up().create();
            hn.addresses().add("eth0", "10.99.0." + h + "/24");
            MemoryIpamStore local = new MemoryIpamStore();
            localStores.add(local);
            hosts.add(Networks.builder(hn).store(local).etcNetns(etc.resolve("h" + h))
                    .cluster(Cluster.of(store, HostId.of("h" + h), IpAddresses.parse("10.99.0." + h), b -> b.recordDir(etc.resolve("records")))).open());
        }
    }

    @AfterEach
    void close() {
        hosts.forEach(Networks::close);
        store.close();
    }

    @Test
    void anOverlayCreatedOnOneHostIsSeenByTheOthersAndConnectsContainersEverywhere() throws Exception {
        Networks h2 = hosts.get(1);
        Networks h3 = hosts.get(2);
        MemoryIpamStore h3Store = localStores.get(2);
        h2.create("my_olay").driver(DriverKind.OVERLAY).subnet("10.0.0.0/24").create();
        assertThat(h3.find("my_olay")).as("scope global").isPresent();
        Namespace web01 = root.namespaces().create("web01");
        Namespace web02 = root.namespaces().create("web02");
        Endpoint e1 = h2.endpoint("my_olay", web01).connect();
        Endpoint e2 = h3.endpoint("my_olay", web02).alias("db").alias("cache").connect(); // aliases are announced with it
        assertThat(IpAddresses.format(e1.address())).isEqualTo("10.0.0.2");
        assertThat(IpAddresses.format(e2.address())).isEqualTo("10.0.0.3");
        Netlib in1 = root.in(web01);
        assertThat(in1.findLink("eth0")).isPresent();
        assertThat(in1.findLink("eth1")).as("the gateway bridge's interface").isPresent();
        List<RouteInfo> defaults = in1.routes().defaults();
        assertThat(defaults).hasSize(1);
        assertThat(IpAddresses.format(defaults.get(0).gateway())).isEqualTo("172.18.0.1");
        OverlayNetwork n = new Catalog(store, new Keys(Keys.DEFAULT_PREFIX), 1, 2).find("my_olay").orElseThrow();
        long deadline = System.currentTimeMillis() + 5000;
        while (root.in(hostNs.get(1)).neighbors().list().stream().noneMatch(x -> x.device().equals(n.vxlanName())) && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(root.in(hostNs.get(1)).neighbors().list()).anyMatch(x -> x.device().equals(n.vxlanName())
                && IpAddresses.format(x.address()).equals("10.0.0.3"));
        Path hostsFile = etc.resolve("h2/web01/hosts");
        while (!java.nio.file.Files.readString(hostsFile).contains("10.0.0.3\tweb02 db cache") && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(java.nio.file.Files.readString(hostsFile)).as("host 2 resolves host 3's container by name and alias")
                .contains("10.0.0.3\tweb02 db cache");
        assertThatThrownBy(() -> h2.remove("my_olay")).hasMessageContaining("active endpoints");
        var report = h2.reconcile(true);
        assertThat(h2.findEndpoint("my_olay", "web02")).as("reconcile on h2 leaves h3's endpoint alone: " + report).isPresent();
        // host 3's process stops and a new one opens: web02 is announced again
        h3.close();
        while (root.in(hostNs.get(1)).neighbors().list().stream().anyMatch(x -> x.device().equals(n.vxlanName())) && System.currentTimeMillis() < deadline + 5000) {
            Thread.sleep(10);
        }
        assertThat(root.in(hostNs.get(1)).neighbors().list()).noneMatch(x -> x.device().equals(n.vxlanName()));
        h3 = Networks.builder(root.in(hostNs.get(2))).store(h3Store).etcNetns(etc.resolve("h3"))
                .cluster(Cluster.of(store, HostId.of("h3"), IpAddresses.parse("10.99.0.3"), b -> b.recordDir(etc.resolve("records")))).open();
        hosts.set(2, h3);
        long again = System.currentTimeMillis() + 5000;
        while (root.in(hostNs.get(1)).neighbors().list().stream().noneMatch(x -> x.device().equals(n.vxlanName())) && System.currentTimeMillis() < again) {
            Thread.sleep(10);
        }
        assertThat(root.in(hostNs.get(1)).neighbors().list()).as("web02 announced again by host 3's new process")
                .anyMatch(x -> x.device().equals(n.vxlanName()) && IpAddresses.format(x.address()).equals("10.0.0.3"));
        assertThat(store.range("netlib/v1/endpoints/" + n.id() + "/").kvs()).as("with its aliases")
                .filteredOn(kv -> kv.value().contains("name=web02\n")).singleElement()
                .satisfies(kv -> assertThat(kv.value()).contains("aliases=db,cache\n"));
        h3.disconnect("my_olay", "web02");
        h2.disconnect("my_olay", "web01");
        assertThat(root.in(hostNs.get(1)).findLink(n.vxlanName())).isEmpty();
        h3.remove("my_olay");
        assertThat(h2.find("my_olay")).isEmpty();
        assertThat(store.range("netlib/v1/vni/").kvs()).isEmpty();
    }

    @Test
    void overlayWithoutAClusterSaysWhatToDo() {
        Networks alone = Networks.builder(root.in(hostNs.get(0))).store(new MemoryIpamStore()).etcNetns(null).open();
        assertThatThrownBy(() -> alone.create("x").driver(DriverKind.OVERLAY).subnet("10.1.0.0/24").create())
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("cluster store");
    }
}
