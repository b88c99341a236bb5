package dev.netlib.examples.readme;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.cluster.ClusterStore;
import dev.netlib.cluster.etcd.EtcdClusterStore;
import dev.netlib.ipam.FileIpamStore;
import dev.netlib.network.DriverKind;
import dev.netlib.network.Networks;
import dev.netlib.overlay.Cluster;
import dev.netlib.overlay.HostId;

/**
 * The README's overlay snippet as code that compiles (ReadmeSnippetsTest matches it line for line).
 * It is not run here: it needs an etcd and several hosts, which S5OverlayTest and the overlay kernel
 * tests build.
 */
final class OverlaySnippet {
    private OverlaySnippet() {}

    static void overlay(Netlib host2, Namespace web01) {
        // overlay:begin
        ClusterStore store = EtcdClusterStore.connect("http://127.0.0.1:2379");
        try (Networks h2 = Networks.builder(host2).store(FileIpamStore.openDefault())
                .cluster(Cluster.of(store, HostId.of("h2"), "192.168.56.102")).open()) {
            h2.create("my_olay").driver(DriverKind.OVERLAY).subnet("10.0.0.0/24").create();  // every host sees it
            h2.endpoint("my_olay", web01).name("web01").connect();   // eth0 on the overlay, eth1 on nl_gwbridge
        }   // close(): this host's endpoints are withdrawn from the others at once
        // overlay:end
    }
}
