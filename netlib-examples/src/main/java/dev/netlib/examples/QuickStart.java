package dev.netlib.examples;

import dev.netlib.Namespace;
import dev.netlib.Netlib;

/** The README's quick start, compiled and run as it is written there (QuickStartReadmeTest keeps them equal). */
public final class QuickStart {
    private QuickStart() {}

    public static void main(String[] args) {
        // quickstart:begin
        try (Netlib host = Netlib.open();
             Namespace ns1 = host.namespaces().create("nl-ns1")) {
            // a bridge with 192.168.10.1/24, up
            host.bridge("nl-br0").up().create().addAddress("192.168.10.1/24");
            // a veth pair whose peer is born inside ns1 as eth0: one request, no move, no rename
            host.veth("nl-veth1").master("nl-br0").up()
                .peer("eth0", peer -> peer.namespace(ns1).up())
                .create();
            // inside ns1: lo up, an address, a default route, sent together in one batch
            host.in(ns1).batch()
                .linkUp("lo")
                .addAddress("eth0", "192.168.10.11/24")
                .addDefaultRoute("192.168.10.1")
                .apply();
            host.in(ns1).links().forEach(link -> System.out.println(link.displayName() + " " + link.operState()));
            host.link("nl-br0").delete();
        }   // closing ns1 deletes the namespace and everything in it
        // quickstart:end
    }
}
