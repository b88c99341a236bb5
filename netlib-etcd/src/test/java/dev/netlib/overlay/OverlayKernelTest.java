package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.cluster.etcd.EtcdClusterStore;
import dev.netlib.value.IpAddresses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The overlay on the real kernel: three host namespaces on an underlay switch in its own namespace,
 * a real etcd on 127.0.0.1, agents driven directly (one JVM). Traffic is real TCP between container
 * namespaces across the VXLAN tunnels; after every test the kernel-vs-store diff of every host is
 * empty.
 */
class OverlayKernelTest {
    @RegisterExtension
    final OverlayHosts hosts = OverlayHosts.of(3, Duration.ZERO, b -> b);
    private final List<ServerSocket> servers = new ArrayList<>();

    @AfterEach
    void closeServers() throws IOException {
        for (ServerSocket s : servers) {
            s.close();
        }
    }

    private OverlayAgent a(int h) {
        return hosts.agent(h);
    }

    static long awaitMillis(String what, BooleanSupplier cond, long timeoutMs) throws InterruptedException {
        long start = System.nanoTime();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() - start > timeoutMs * 1_000_000) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for: " + what);
            }
            Thread.sleep(1);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    static boolean hasNeighbour(Netlib host, String dev, InetAddress ip) {
        return host.neighbors().list().stream().anyMatch(n -> n.device().equals(dev) && n.address().equals(ip));
    }

    private void serve(Namespace ns, String answer) {
        ServerSocket server = ns.run(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 7000));
            return s;
        });
        servers.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket c = server.accept(); OutputStream out = c.getOutputStream()) {
                    out.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                } catch (IOException closed) {
                    // the loop ends
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    static String probe(Namespace from, InetAddress to) {
        return from.run(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(to, 7000), 2000);
                s.setSoTimeout(2000);
                return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                return null;
            }
        });
    }

    @Test
    void threeHostsReachEachOtherByAddressAndNameAndAGracefulLeaveWithdrawsAtOnce() throws Exception {
        OverlayLab lab = hosts.lab();
        OverlayNetwork n = a(2).createNetwork("my_olay", "10.0.0.0/24");
        assertThat(a(3).network("my_olay")).as("scope global: host 3 sees it at once").contains(n);
        assertThat(n.mtu()).isEqualTo(1450);
        Namespace web01 = lab.container("web01");
        Namespace web02 = lab.container("web02");
        Namespace web03 = lab.container("web03");
        OverlayEndpoint e1 = a(2).connect(n, web01, "eth0", "web01");
        OverlayEndpoint e2 = a(3).connect(n, web02, "eth0", "web02", List.of("db"));
        long joinMs = awaitMillis("web02 programmed on h2", () -> hasNeighbour(lab.host(2), n.vxlanName(), e2.ip()), 5000);
        OverlayEndpoint e3 = a(1).connect(n, web03, "eth0", "web03");
        long join3 = awaitMillis("web03 programmed on h2 and h3", () -> hasNeighbour(lab.host(2), n.vxlanName(), e3.ip())
                && hasNeighbour(lab.host(3), n.vxlanName(), e3.ip()), 5000);
        assertThat(IpAddresses.format(e1.ip())).isEqualTo("10.0.0.2");
        assertThat(IpAddresses.format(e2.ip())).isEqualTo("10.0.0.3");
        serve(web02, "web02");
        serve(web03, "web03");
        assertThat(probe(web01, e2.ip())).as("TCP web01 -> web02 by address").isEqualTo("web02");
        assertThat(probe(web01, e3.ip())).as("TCP web01 -> web03 by address").isEqualTo("web03");
        awaitMillis("web01's hosts file names web02", () -> {
            try {
                return lab.resolve(web01, "web02").startsWith("10.0.0.3");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 2000);
        assertThat(lab.resolve(web01, "db")).as("web02's alias, announced from host 3").startsWith("10.0.0.3");
        String byName = OverlayLab.sh("ip", "netns", "exec", web01.name().orElseThrow(), "bash", "-c",
                "exec 3<>/dev/tcp/web02/7000 && head -1 <&3");
        assertThat(byName.trim()).as("TCP web01 -> web02 by name").isEqualTo("web02");
        var vx = lab.host(2).findLink(n.vxlanName()).orElseThrow();
        assertThat(vx.mtu()).isEqualTo(1450);
        assertThat(OverlayLab.sh("ip", "netns", "exec", lab.hostNs(2), "cat", "/sys/class/net/" + n.vxlanName() + "/brport/learning").trim())
                .as("bridge port learning off on the tunnel port").isEqualTo("0");
        assertThat(OverlayLab.sh("ip", "netns", "exec", lab.hostNs(2), "bridge", "fdb", "show", "dev", n.vxlanName()))
                .as("web02's MAC static in the bridge's table: unicast to it goes into the tunnel only, never flooded to local ports")
                .contains(e2.mac() + " master " + n.bridgeName() + " static")
                .contains(e2.mac() + " dst 10.99.0.3 self permanent");
        for (OverlayAgent agent : hosts.agents()) {
            awaitMillis(agent.hostId() + " equals the store", () -> agent.diff().isEmpty(), 5000);
        }

        long closeStart = System.nanoTime();
        hosts.stop(3);
        awaitMillis("web02 withdrawn from h2", () -> !hasNeighbour(lab.host(2), n.vxlanName(), e2.ip()), 5000);
        long leaveMs = (System.nanoTime() - closeStart) / 1_000_000;
        // hosts files are rewritten at most every 50 ms per network
        awaitMillis("web02's name gone from web01's hosts file", () -> {
            try {
                return lab.resolve(web01, "web02").isEmpty();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, 2000);
        assertThat(probe(web01, e3.ip())).isEqualTo("web03");
        System.out.printf("overlay convergence: join->programmed on a peer %d ms (3rd host: both peers %d ms); graceful leave->withdrawn %d ms%n",
                joinMs, join3, leaveMs);
    }

    @Test
    void aHostBackOnANewVtepAddressIsReachedThereAndItsOldEntriesAreGone() throws Exception {
        OverlayLab lab = hosts.lab();
        OverlayNetwork n = a(2).createNetwork("my_olay", "10.0.0.0/24");
        Namespace web01 = lab.container("web01");
        Namespace web02 = lab.container("web02");
        a(2).connect(n, web01, "eth0", "web01");
        OverlayEndpoint e2 = a(3).connect(n, web02, "eth0", "web02");
        serve(web02, "web02");
        awaitMillis("web02 programmed on h2", () -> hasNeighbour(lab.host(2), n.vxlanName(), e2.ip()), 5000);
        assertThat(probe(web01, e2.ip())).isEqualTo("web02");
        // host 3's process restarts on another underlay address; its container stayed
        lab.host(3).addresses().add("eth0", "10.99.0.33/24");
        hosts.stop(3);
        OverlayAgent moved = hosts.adopt(3, lab.builder(3, IpAddresses.parse("10.99.0.33")).open());
        moved.prepare(n);
        moved.advertise(e2);
        awaitMillis("h2 sends web02's frames to 10.99.0.33 only", () -> lab.host(2).fdb().list(n.vxlanName()).stream()
                .filter(f -> f.self() && !f.master() && f.mac().equals(e2.mac()))
                .map(f -> IpAddresses.format(f.destination())).toList().equals(List.of("10.99.0.33")), 5000);
        assertThat(probe(web01, e2.ip())).as("TCP web01 -> web02 through the new VTEP").isEqualTo("web02");
    }

    @Test
    void compactionPastTheWatcherGivesOneRelistAndTheRightTables() throws Exception {
        OverlayLab lab = hosts.lab();
        WatchFaultStore h2Client = new WatchFaultStore(lab.store());
        hosts.stop(2);
        hosts.adopt(2, lab.builder(2, IpAddresses.parse("10.99.0.2"), h2Client).open());
        OverlayNetwork n = a(2).createNetwork("my_olay", "10.0.0.0/24");
        a(2).connect(n, lab.container("web01"), "eth0", "web01");
        long relists = a(2).relists();
        EtcdClusterStore s = lab.store();
        long behind = s.range(lab.prefix).revision();
        h2Client.lagWatches(); // h2's watch falls behind: the changes below do not reach it
        OverlayEndpoint e2 = a(3).connect(n, lab.container("web02"), "eth0", "web02");
        OverlayEndpoint e3 = a(1).connect(n, lab.container("web03"), "eth0", "web03");
        a(1).disconnect(e3);
        s.compact(s.range(lab.prefix).revision());
        h2Client.catchUpFrom(behind + 1); // served again from where it fell behind, which is compacted now
        awaitMillis("h2 programmed web02", () -> hasNeighbour(lab.host(2), n.vxlanName(), e2.ip()), 5000);
        Thread.sleep(500);
        assertThat(a(2).relists()).as("one relist, no loop").isEqualTo(relists + 1);
        assertThat(hasNeighbour(lab.host(2), n.vxlanName(), e3.ip())).isFalse();
    }
}
