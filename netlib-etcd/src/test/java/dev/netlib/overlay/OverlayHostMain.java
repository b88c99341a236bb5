package dev.netlib.overlay;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.cluster.etcd.EtcdClusterStore;
import dev.netlib.value.IpAddresses;
import java.nio.file.Path;

/**
 * One simulated host in a JVM of its own, for tests that kill it: opens the host's agent, connects a
 * container to an existing overlay network, prints {@code READY IP ENDPOINT-ID} and waits to be killed. With mode
 * {@code crash-after-devices} it halts (as kill -9 would) after creating the network's devices and
 * before writing its advert.
 *
 * <p>Arguments: etcd URL, key prefix, host namespace, host number, network, container namespace,
 * container name, mode ({@code serve} or {@code crash-after-devices}), record directory.
 */
public final class OverlayHostMain {
    private OverlayHostMain() {}

    public static void main(String[] a) throws Exception {
        String url = a[0];
        String prefix = a[1];
        String hostNs = a[2];
        int h = Integer.parseInt(a[3]);
        String network = a[4];
        String containerNs = a[5];
        String name = a[6];
        String mode = a[7];
        Path records = Path.of(a[8]);
        Netlib root = Netlib.open();
        Namespace host = root.namespaces().open(hostNs);
        Namespace container = root.namespaces().open(containerNs);
        EtcdClusterStore store = EtcdClusterStore.connect(url);
        OverlayAgent agent = OverlayAgent.builder(root.in(host), store, HostId.of("h" + h), IpAddresses.parse("10.99.0." + h))
                .prefix(prefix).leaseTtl(java.time.Duration.ofSeconds(2)).hostsRoot(Path.of("/etc/netns")).recordDir(records).open();
        OverlayNetwork n = agent.network(network).orElseThrow();
        if (mode.equals("crash-after-devices")) {
            agent.prepare(n);
            System.out.println("DEVICES " + n.vxlanName());
            System.out.flush();
            Runtime.getRuntime().halt(137);
        }
        OverlayEndpoint e = agent.connect(n, container, "eth0", name);
        System.out.println("READY " + IpAddresses.format(e.ip()) + " " + e.id());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
