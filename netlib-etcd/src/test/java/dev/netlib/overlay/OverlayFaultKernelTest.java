package dev.netlib.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.value.IpAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults on the real kernel with a real etcd: a host's JVM killed with -9, a lease lost under
 * traffic, a host down while its peers changed, etcd restarted, a crash between creating the VXLAN
 * device and announcing the endpoint. After each, every live host's kernel equals the store.
 */
class OverlayFaultKernelTest {
    @RegisterExtension
    final OverlayHosts hosts = OverlayHosts.of(0, Duration.ofSeconds(5), b -> b.leaseTtl(Duration.ofSeconds(2)));
    private OverlayLab lab;

    @BeforeEach
    void lab() {
        lab = hosts.lab();
    }

    private OverlayAgent agent(int h) {
        return hosts.start(h);
    }

    private static boolean neighbour(OverlayLab lab, int h, OverlayNetwork n, InetAddress ip) {
        return OverlayKernelTest.hasNeighbour(lab.host(h), n.vxlanName(), ip);
    }

    @Test
    void aKilledHostJvmIsWithdrawnFromItsPeersWithinTheTtlPlusOneSecond() throws Exception {
        OverlayAgent h2 = agent(2);
        OverlayNetwork n = h2.createNetwork("my_olay", "10.0.0.0/24");
        h2.connect(n, lab.container("web01"), "eth0", "web01");
        OverlayAgent h1 = agent(1);
        h1.connect(n, lab.container("web03"), "eth0", "web03");
        String[] ready = new String[1];
        Process h3 = lab.hostJvm(3, "my_olay", lab.container("web02"), "web02", "serve", ready);
        InetAddress ip = IpAddresses.parse(ready[0].split(" ")[1]);
        OverlayKernelTest.awaitMillis("web02 programmed on h2", () -> neighbour(lab, 2, n, ip), 5000);
        long t0 = System.nanoTime();
        h3.destroyForcibly(); // SIGKILL
        h3.waitFor(10, TimeUnit.SECONDS);
        OverlayKernelTest.awaitMillis("web02 withdrawn from h2 and h1", () -> !neighbour(lab, 2, n, ip) && !neighbour(lab, 1, n, ip), 4000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("overlay convergence: kill -9 of a host JVM -> withdrawn from both peers after %d ms (lease TTL 2 s)%n", ms);
        // the figure (TTL + at most ~1 s on a quiet machine) is the cluster benchmark's; here only that
        // the withdrawal comes from the lease's expiry, not from some later repair
        assertThat(ms).as("within a few TTLs").isLessThanOrEqualTo(4000);
    }

    @Test
    void aCrashBetweenVxlanCreationAndTheAdvertLeavesADeviceTheRestartCollects() throws Exception {
        OverlayAgent h2 = agent(2);
        OverlayNetwork n = h2.createNetwork("my_olay", "10.0.0.0/24");
        String[] line = new String[1];
        Process crash = lab.hostJvm(3, "my_olay", lab.container("web02"), "web02", "crash-after-devices", line);
        crash.waitFor(10, TimeUnit.SECONDS);
        assertThat(lab.host(3).findLink(n.vxlanName())).as("the crash left the device").isPresent();
        OverlayAgent h3 = agent(3);
        assertThat(lab.host(3).findLink(n.vxlanName())).as("collected at start").isEmpty();
        OverlayEndpoint e = h3.connect(n, lab.container("web02b"), "eth0", "web02");
        assertThat(lab.host(3).findLink(n.vxlanName())).isPresent();
        assertThat(e.ip()).isNotNull();
    }

    @Test
    void aLostLeaseUnderTrafficRecoversWithinOneSecondAndEntriesStayPermanent() throws Exception {
        OverlayAgent h2 = agent(2);
        OverlayAgent h3 = agent(3);
        OverlayNetwork n = h2.createNetwork("my_olay", "10.0.0.0/24");
        Namespace web01 = lab.container("web01");
        Namespace web02 = lab.container("web02");
        h2.connect(n, web01, "eth0", "web01");
        OverlayEndpoint e2 = h3.connect(n, web02, "eth0", "web02");
        OverlayKernelTest.awaitMillis("web02 programmed", () -> neighbour(lab, 2, n, e2.ip()), 5000);
        var server = web02.run(() -> {
            java.net.ServerSocket s = new java.net.ServerSocket();
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress(InetAddress.getByName("0.0.0.0"), 7000));
            return s;
        });
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (java.net.Socket c = server.accept()) {
                    c.getOutputStream().write('x');
                } catch (java.io.IOException closed) {
                    // ends
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        AtomicBoolean run = new AtomicBoolean(true);
        AtomicLong lastOk = new AtomicLong(System.nanoTime());
        AtomicLong worstGap = new AtomicLong();
        Thread traffic = new Thread(() -> {
            while (run.get()) {
                boolean ok = web01.run(() -> {
                    try (java.net.Socket s = new java.net.Socket()) {
                        s.connect(new java.net.InetSocketAddress(e2.ip(), 7000), 200);
                        return s.getInputStream().read() == 'x';
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
                long now = System.nanoTime();
                if (ok) {
                    worstGap.accumulateAndGet((now - lastOk.get()) / 1_000_000, Math::max);
                    lastOk.set(now);
                }
            }
        });
        try {
            traffic.start();
            Thread.sleep(300);
            long before = h3.lease();
            h3.store().revokeLease(h3.lease()); // as if it had expired during a partition
            OverlayKernelTest.awaitMillis("h3 re-registered", () -> h3.lease() != before, 5000);
            OverlayKernelTest.awaitMillis("web02 programmed again", () -> neighbour(lab, 2, n, e2.ip()), 5000);
            Thread.sleep(500);
        } finally {
            run.set(false);
            traffic.join(5000);
            server.close();
        }
        System.out.printf("overlay convergence: lease lost and regained under traffic -> longest gap between successful connects %d ms%n", worstGap.get());
        // the peers keep the entries while the advert is re-made: the bound is loose so that a loaded
        // machine does not fail it, yet below a withdraw-and-relearn outage (a lease TTL, 2 s, plus the
        // watch and the reconcile); the figure itself is printed above
        assertThat(worstGap.get()).as("traffic never stops for a lease TTL").isLessThan(2000);
        assertThat(lab.host(2).fdb().list(n.vxlanName()).stream().filter(f -> f.self() && !f.master()))
                .allMatch(f -> f.isPermanent());
    }

    @Test
    void aHostThatWasDownWhilePeersChangedEqualsTheStoreAfterRestart() throws Exception {
        OverlayAgent h2 = agent(2);
        OverlayAgent h3 = agent(3);
        OverlayNetwork n = h2.createNetwork("my_olay", "10.0.0.0/24");
        OverlayEndpoint w1 = h2.connect(n, lab.container("web01"), "eth0", "web01");
        OverlayEndpoint w2 = h3.connect(n, lab.container("web02"), "eth0", "web02");
        OverlayKernelTest.awaitMillis("web02 programmed", () -> neighbour(lab, 2, n, w2.ip()), 5000);
        hosts.abandon(2); // the process dies; its container and kernel objects stay
        h3.disconnect(w2);
        OverlayEndpoint w4 = h3.connect(n, lab.container("web04"), "eth0", "web04");
        OverlayAgent again = agent(2);
        again.prepare(n);
        again.advertise(w1); // the restarted host announces the container that outlived it
        OverlayKernelTest.awaitMillis("h2 equals the store", () -> again.diff().isEmpty(), 5000);
        assertThat(neighbour(lab, 2, n, w2.ip())).isFalse();
        assertThat(neighbour(lab, 2, n, w4.ip())).isTrue();
    }

    @Test
    void etcdRestartedLosesNoEvent() throws Exception {
        OverlayAgent h2 = agent(2);
        OverlayAgent h3 = agent(3);
        OverlayNetwork n = h2.createNetwork("my_olay", "10.0.0.0/24");
        h2.connect(n, lab.container("web01"), "eth0", "web01");
        lab.etcd.stopProcess();
        Thread.sleep(1000);
        lab.etcd.startProcess();
        OverlayEndpoint w2 = h3.connect(n, lab.container("web02"), "eth0", "web02");
        OverlayKernelTest.awaitMillis("web02 programmed on h2 after the restart", () -> neighbour(lab, 2, n, w2.ip()), 10000);
        h3.disconnect(w2);
        OverlayKernelTest.awaitMillis("web02 withdrawn", () -> !neighbour(lab, 2, n, w2.ip()), 10000);
    }
}
