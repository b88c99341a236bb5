package dev.netlib.examples.scenarios;

import dev.netlib.Link;
import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.RouteInfo;
import dev.netlib.value.IpAddresses;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Scenario S3, "the principle of Docker networking" done by hand, one typed call per {@code ip} /
 * {@code brctl} command of the seed, inside sandbox namespaces (a "host" namespace stands in for
 * the machine):
 * <pre>
 * brctl addbr lxcbr0; ip addr add 192.168.10.1/24 dev lxcbr0; ip link set lxcbr0 up
 * ip netns add ns1; ip -n ns1 link set lo up
 * ip link add veth-ns1 type veth peer name lxcbr0.1
 * ip link set veth-ns1 netns ns1; ip -n ns1 link set veth-ns1 name eth0
 * ip -n ns1 addr add 192.168.10.11/24 dev eth0; ip -n ns1 link set eth0 up
 * brctl addif lxcbr0 lxcbr0.1; ip link set lxcbr0.1 up
 * ip -n ns1 route add default via 192.168.10.1
 * echo nameserver 8.8.8.8 &gt; /etc/netns/ns1/resolv.conf
 * </pre>
 * and then an {@code eth1} (192.168.10.12/24) added to a namespace that is already in use, found
 * by the pid of the process living in it (here a thread of this JVM, an "app" serving TCP there;
 * the namespace has no name and no other holder).
 */
public final class S3ManualWay {
    static final int APP_PORT = 7001;

    /** What the run found. */
    public record Result(String ns1Name, List<String> ns1Links, String eth0Address, boolean eth0Up, String vethMaster,
            String defaultGateway, String resolvConf, Path resolvConfPath, long appPid, boolean pidFoundSameNamespace,
            String eth1Address, String ns1ToGateway, String ns1ToApp, String appToNs1) {
        /** Everything the scenario set out to show holds (for the real kernel, where traffic was sent). */
        public boolean passed() {
            return ns1Links.stream().anyMatch(l -> l.startsWith("eth0@")) && "192.168.10.11/24".equals(eth0Address) && eth0Up && "lxcbr0".equals(vethMaster)
                    && "192.168.10.1".equals(defaultGateway) && resolvConf.contains("nameserver") && pidFoundSameNamespace
                    && "192.168.10.12/24".equals(eth1Address) && "host".equals(ns1ToGateway) && "app".equals(ns1ToApp)
                    && "ns1".equals(appToNs1);
        }
    }

    private S3ManualWay() {}

    public static void main(String[] args) throws IOException {
        S1Demo.run((root, real, etc, out) -> run(root, real, etc, out));
    }

    /**
     * Runs S3 with {@code root}; {@code etcNetns} stands for /etc/netns (the resolv.conf goes to
     * {@code etcNetns/NS1NAME/resolv.conf} and is removed at the end).
     */
    public static Result run(Netlib root, boolean realTraffic, Path etcNetns, PrintStream out) {
        try (ScratchNamespaces scratch = new ScratchNamespaces(root, "s3", etcNetns); TcpProbe probe = new TcpProbe()) {
            out.println("== S3: the manual way (sandbox namespaces " + scratch.name("*") + ")");
            Namespace hostNs = scratch.namespace("host");
            Netlib host = root.in(hostNs);
            host.link("lo").up();

            // brctl addbr lxcbr0; ip addr add 192.168.10.1/24 dev lxcbr0; ip link set lxcbr0 up
            Link lxcbr0 = host.bridge("lxcbr0").up().create();
            lxcbr0.addAddress("192.168.10.1/24");
            // ip netns add ns1; ip netns exec ns1 ip link set lo up
            Namespace ns1 = scratch.namespace("ns1");
            Netlib inNs1 = root.in(ns1);
            inNs1.link("lo").up();
            // ip link add veth-ns1 type veth peer name lxcbr0.1
            host.veth("veth-ns1").peer("lxcbr0.1").create();
            // ip link set veth-ns1 netns ns1 name eth0 (one request: move and rename)
            Link eth0 = host.link("veth-ns1").moveTo(ns1, "eth0");
            // ip netns exec ns1 ip addr add 192.168.10.11/24 dev eth0; ... ip link set eth0 up
            eth0.addAddress("192.168.10.11/24").up();
            // brctl addif lxcbr0 lxcbr0.1; ip link set lxcbr0.1 up
            host.link("lxcbr0.1").master(lxcbr0).up();
            // ip netns exec ns1 ip route add default via 192.168.10.1
            inNs1.routes().addDefault("192.168.10.1");
            // mkdir -p /etc/netns/ns1; echo "nameserver 8.8.8.8" > /etc/netns/ns1/resolv.conf
            Path resolv = writeResolvConf(scratch, etcNetns, ns1.name().orElseThrow(), "nameserver 8.8.8.8\n");

            List<String> ns1Links = inNs1.links().stream().map(LinkInfo::displayName).toList();
            LinkInfo eth0Info = eth0.info();
            String eth0Address = eth0.addresses().stream().map(Object::toString).findFirst().orElse(null);
            String master = host.link("lxcbr0.1").info().master().orElse(null);
            String gateway = inNs1.routes().defaults().stream().map(RouteInfo::gateway).filter(g -> g != null)
                    .map(InetAddress::getHostAddress).findFirst().orElse(null);
            String resolvConf = read(resolv);
            out.println("ns1 links " + ns1Links + "; eth0 " + eth0Address + (eth0Info.adminUp() ? " up" : " down")
                    + "; lxcbr0.1 master " + master + "; default via " + gateway);
            out.println(resolv + ": " + resolvConf.strip());

            // the "app": a thread living in a namespace of its own (no name, no other holder)
            App app = App.start(root, realTraffic);
            scratch.onClose("stop the app", app::stop);
            // ip link add lxcbr0.2 master lxcbr0 up type veth peer name eth1 netns /proc/PID/ns/net
            // ip -n PID addr add 192.168.10.12/24 dev eth1
            String eth1Address;
            boolean same;
            try (Namespace found = root.namespaces().ofPid(app.pid)) {
                same = found.inode() == app.inode;
                out.println("the app's namespace found from /proc/" + app.pid + "/ns/net: inode " + found.inode()
                        + (same ? " (the app's)" : " (NOT the app's " + app.inode + ")"));
                host.veth("lxcbr0.2").master(lxcbr0).up().peer("eth1", p -> p.namespace(found).up()).create();
                Link eth1 = root.in(found).link("eth1").addAddress("192.168.10.12/24");
                eth1Address = eth1.addresses().stream().map(Object::toString).findFirst().orElse(null);
                out.println("eth1 " + eth1Address + " added to it; its links now "
                        + root.in(found).links().stream().map(LinkInfo::displayName).toList());
            }

            String toGateway = null;
            String toApp = null;
            String back = null;
            if (realTraffic) {
                probe.serve(hostNs, "host");
                probe.serve(ns1, "ns1");
                toGateway = TcpProbe.probe(ns1, IpAddresses.parse("192.168.10.1"), 1000);
                toApp = TcpProbe.probe(ns1, IpAddresses.parse("192.168.10.12"), APP_PORT, 1000);
                back = app.connect(IpAddresses.parse("192.168.10.11"), TcpProbe.PORT);
                out.println("TCP ns1 -> 192.168.10.1 (lxcbr0): " + reply(toGateway));
                out.println("TCP ns1 -> 192.168.10.12:" + APP_PORT + " (the app, over eth1): " + reply(toApp));
                out.println("TCP app -> 192.168.10.11 (ns1's eth0): " + reply(back));
            }
            Result r = new Result(ns1.name().orElseThrow(), ns1Links, eth0Address, eth0Info.adminUp(), master, gateway, resolvConf,
                    resolv, app.pid, same, eth1Address, toGateway, toApp, back);
            out.println(realTraffic ? (r.passed() ? "S3 PASS" : "S3 FAIL: " + r) : "S3 built (no traffic on FakeKernel)");
            return r;
        }
    }

    private static String reply(String name) {
        return name == null ? "unreachable" : "answered by " + name;
    }

    private static Path writeResolvConf(ScratchNamespaces scratch, Path etcNetns, String nsName, String content) {
        Path dir = etcNetns.resolve(nsName);
        scratch.removeOnClose(dir);
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("resolv.conf"), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A thread started inside a fresh anonymous namespace (a thread inherits its creator's network
     * namespace), serving TCP there; once the creating handle is released, that thread is the only
     * thing keeping the namespace alive, like a container's process.
     */
    private static final class App {
        final long pid;
        final long inode;
        final ServerSocket server;
        final Runnable exit;
        final Namespace own;

        private App(long pid, long inode, ServerSocket server, Runnable exit, Namespace own) {
            this.pid = pid;
            this.inode = inode;
            this.server = server;
            this.exit = exit;
            this.own = own;
        }

        static App start(Netlib root, boolean real) {
            Namespace ns = root.namespaces().createAnonymous();
            long inode = ns.inode();
            if (!real && root.backend() instanceof FakeKernel fake) {
                // no threads in a fake namespace: tell the fake a process lives there
                long pid = 4_000_000L + ProcessHandle.current().pid();
                fake.registerProcess(pid, ns.ref());
                ns.close();
                return new App(pid, inode, null, () -> fake.unregisterProcess(pid), null);
            }
            CompletableFuture<Long> tid = new CompletableFuture<>();
            CompletableFuture<ServerSocket> bound = new CompletableFuture<>();
            ns.run(() -> {
                Thread t = new Thread(() -> serve(tid, bound), "s3-app");
                t.setDaemon(true);
                t.start();
            });
            try {
                long pid = tid.get(5, TimeUnit.SECONDS);
                ServerSocket server = bound.get(5, TimeUnit.SECONDS);
                // keep a handle only to run the app's client side there; released by stop()
                Namespace own = root.namespaces().ofPid(pid);
                ns.close(); // release the creating handle: now only the app keeps the namespace alive
                return new App(pid, inode, server, null, own);
            } catch (Exception e) {
                ns.close();
                throw new IllegalStateException("the app did not start: " + e, e);
            }
        }

        /** The app's main loop: learn its own thread id, listen on APP_PORT, answer "app". */
        private static void serve(CompletableFuture<Long> tid, CompletableFuture<ServerSocket> bound) {
            try {
                // /proc/thread-self -> PID/task/TID; the TID is a pid in /proc terms (/proc/TID/ns/net)
                tid.complete(Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString()));
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), APP_PORT));
                bound.complete(s);
                while (!s.isClosed()) {
                    try (Socket c = s.accept(); OutputStream o = c.getOutputStream()) {
                        o.write("app\n".getBytes(StandardCharsets.UTF_8));
                    } catch (IOException closed) {
                        // stop() closed the socket: the thread ends, and the namespace with it
                    }
                }
            } catch (IOException | RuntimeException e) {
                tid.completeExceptionally(e);
                bound.completeExceptionally(e);
            }
        }

        String connect(InetAddress address, int port) {
            return TcpProbe.probe(own, address, port, 1000);
        }

        void stop() {
            if (server != null) {
                try {
                    server.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
            if (own != null) {
                own.close();
                ScratchNamespaces.awaitExit(pid);
            }
            if (exit != null) {
                exit.run();
            }
        }
    }
}
