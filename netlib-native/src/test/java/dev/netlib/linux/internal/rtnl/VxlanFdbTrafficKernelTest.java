package dev.netlib.linux.internal.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.linux.testing.ThrowawayNetns;
import dev.netlib.model.FdbInfo;
import dev.netlib.model.FdbSpec;
import dev.netlib.model.NeighborSpec;
import dev.netlib.spi.change.AddFdb;
import dev.netlib.spi.change.DeleteFdb;
import dev.netlib.spi.change.SetNeighbor;
import dev.netlib.value.IpAddresses;
import dev.netlib.value.MacAddress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real traffic through FDB and neighbour entries (root): two "host" namespaces joined by an
 * underlay veth, each with a vxlan without learning or a default remote. Only the static FDB
 * entries (MAC to VTEP) and permanent neighbour entries written by Rtnl let a TCP connection,
 * opened with Java sockets on threads inside the namespaces, cross the overlay; after the FDB
 * entry is deleted it no longer does.
 */
class VxlanFdbTrafficKernelTest {
    private ThrowawayNetns hostA;
    private ThrowawayNetns hostB;
    private Rtnl rtnlA;
    private Rtnl rtnlB;

    @BeforeEach
    void setUp() {
        ThrowawayNetns.assumeRoot();
        hostA = ThrowawayNetns.create("nlr", "vxa");
        hostB = ThrowawayNetns.create("nlr", "vxb");
        rtnlA = new Rtnl(hostA.openSocket(dev.netlib.linux.internal.netlink.NetlinkConstants.NETLINK_ROUTE), ns -> {
            throw new AssertionError("unexpected");
        });
        rtnlB = new Rtnl(hostB.openSocket(dev.netlib.linux.internal.netlink.NetlinkConstants.NETLINK_ROUTE), ns -> {
            throw new AssertionError("unexpected");
        });
        // underlay: uA (192.168.100.1) in A, uB (192.168.100.2) in B
        hostA.ip("link", "add", "name", "uA", "type", "veth", "peer", "name", "uB", "netns", hostB.name());
        hostA.ip("addr", "add", "192.168.100.1/24", "dev", "uA");
        hostB.ip("addr", "add", "192.168.100.2/24", "dev", "uB");
        hostA.ip("link", "set", "dev", "uA", "up");
        hostB.ip("link", "set", "dev", "uB", "up");
        // overlay: vx0 without learning and without a default remote: nothing crosses without FDB entries
        for (ThrowawayNetns h : List.of(hostA, hostB)) {
            String local = h == hostA ? "192.168.100.1" : "192.168.100.2";
            String dev = h == hostA ? "uA" : "uB";
            String mac = h == hostA ? "02:00:00:00:aa:01" : "02:00:00:00:bb:01";
            String addr = h == hostA ? "10.200.0.1/24" : "10.200.0.2/24";
            h.ip("link", "add", "name", "vx0", "address", mac, "type", "vxlan", "id", "42", "local", local, "dev", dev,
                    "dstport", "4789", "nolearning");
            h.ip("addr", "add", addr, "dev", "vx0");
            h.ip("link", "set", "dev", "vx0", "up");
        }
    }

    @AfterEach
    void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {rtnlA, rtnlB, hostA, hostB}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    private static FdbSpec toVtep(String mac, String vtep) {
        return new FdbSpec("vx0", MacAddress.parse(mac), IpAddresses.parse(vtep), null, true, false, true);
    }

    private static NeighborSpec neighbour(String ip, String mac) {
        return new NeighborSpec("vx0", IpAddresses.parse(ip), MacAddress.parse(mac), null);
    }

    @Test
    void staticFdbAndNeighbourEntriesCarryTcpOverTheOverlay() throws Exception {
        rtnlA.apply(List.of(new AddFdb(toVtep("02:00:00:00:bb:01", "192.168.100.2"), false),
                new SetNeighbor(neighbour("10.200.0.2", "02:00:00:00:bb:01"), false)));
        rtnlB.apply(List.of(new AddFdb(toVtep("02:00:00:00:aa:01", "192.168.100.1"), false),
                new SetNeighbor(neighbour("10.200.0.1", "02:00:00:00:aa:01"), false)));
        assertThat(rtnlA.fdb()).filteredOn(f -> f.device().equals("vx0") && f.destination() != null)
                .extracting(FdbInfo::mac, FdbInfo::destination)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(MacAddress.parse("02:00:00:00:bb:01"),
                        IpAddresses.parse("192.168.100.2")));

        assertThat(exchange("hello over vxlan", 5000)).isEqualTo("echo: hello over vxlan");

        // without A's entry for B's MAC the frames have no VTEP to go to
        rtnlA.apply(List.of(new DeleteFdb(toVtep("02:00:00:00:bb:01", "192.168.100.2"))));
        assertThat(rtnlA.fdb()).noneMatch(f -> f.device().equals("vx0") && f.destination() != null);
        assertThat(exchange("lost", 1500)).isNull();
    }

    /**
     * A TCP exchange from A (10.200.0.1) to a server in B (10.200.0.2): the echoed line, or null
     * when the connection could not be made within {@code timeoutMs}.
     */
    private String exchange(String line, int timeoutMs) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch listening = new CountDownLatch(1);
        AtomicReference<Integer> port = new AtomicReference<>();
        AtomicReference<ServerSocket> server = new AtomicReference<>();
        Thread s = hostB.startIn("server", () -> {
            try (ServerSocket ss = new ServerSocket()) {
                server.set(ss);
                ss.bind(new InetSocketAddress(IpAddresses.parse("10.200.0.2"), 0));
                port.set(ss.getLocalPort());
                listening.countDown();
                ss.setSoTimeout(timeoutMs + 1000);
                try (Socket c = ss.accept();
                        BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                        PrintWriter out = new PrintWriter(c.getOutputStream(), true, StandardCharsets.UTF_8)) {
                    out.println("echo: " + in.readLine());
                }
            } catch (SocketTimeoutException e) {
                // nobody came: the client reports that
            } catch (java.io.IOException e) {
                if (server.get() == null || !server.get().isClosed()) {
                    throw new IllegalStateException(e);
                } // else closed by exchange() because nobody came
            }
        }, failure::set);
        assertThat(listening.await(5, TimeUnit.SECONDS)).as("server listening, failure %s", failure.get()).isTrue();
        AtomicReference<String> answer = new AtomicReference<>();
        Thread c = hostA.startIn("client", () -> {
            try (Socket sock = new Socket()) {
                sock.connect(new InetSocketAddress(IpAddresses.parse("10.200.0.2"), port.get()), timeoutMs);
                sock.setSoTimeout(timeoutMs);
                PrintWriter out = new PrintWriter(sock.getOutputStream(), true, StandardCharsets.UTF_8);
                out.println(line);
                answer.set(new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.UTF_8)).readLine());
            } catch (java.io.IOException e) {
                answer.set(null); // timed out or refused: no path
            }
        }, failure::set);
        c.join(timeoutMs + 5000);
        ServerSocket ss = server.get();
        if (ss != null) {
            ss.close(); // unblocks accept when nobody came
        }
        s.join(5000);
        assertThat(failure.get()).as("thread failure").isNull();
        return answer.get();
    }

}
