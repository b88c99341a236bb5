package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.error.NetlibException;
import dev.netlib.fake.FakeKernel;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.model.LinkInfo;
import dev.netlib.model.OperState;
import dev.netlib.network.EndpointConfig;
import dev.netlib.network.NetworkInspection;
import dev.netlib.network.Networks;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Scenario S6, inspect, inside sandbox namespaces: a host with the default network (box1) and a
 * user network {@code my_net} 172.25.0.0/24 (box2, box3), then, read back from the kernel:
 * <ul>
 *   <li>the links of the host and of box2 with kind, index, MTU, MAC, state and master, and for a
 *       veth its peer's index and namespace id ({@code eth0@if7}); box2's eth0 is matched to its
 *       host-side veth by those numbers, both ways;</li>
 *   <li>box2's namespace found from the pid of a process (a thread) living in it, and named by
 *       comparing inodes with /var/run/netns ({@code ip netns identify PID});</li>
 *   <li>the bridges' ports ({@code brctl show});</li>
 *   <li>a {@code docker network inspect my_net}-like view, whose addresses box2 then reaches by TCP.</li>
 * </ul>
 */
public final class S6Inspect {
    /** One line of {@code ip -d link}: what S6 asks to see. */
    public record LinkRow(String namespace, int index, String name, String kind, int mtu, String mac, String state, String master,
            int peerIndex, int peerNetnsId) {
        String render() {
            return String.format("%-8s %3d %-18s %-7s %5d %-17s %-14s %-9s %s", namespace, index, name, kind, mtu, mac, state,
                    master == null ? "-" : master, peerIndex == 0 ? "" : "peer if" + peerIndex + " netnsid " + peerNetnsId);
        }
    }

    /** What the run found. */
    public record Result(List<LinkRow> links, String box2Eth0, String box2HostVeth, boolean peersMatchBothWays, long pid,
            String namespaceOfPid, Map<String, List<String>> bridgePorts, NetworkInspection inspection, boolean inspectMatchesKernel, Map<String, String> reached) {
        /** Everything the scenario set out to show holds. */
        public boolean passed(String box2NsName) {
            return box2Eth0 != null && box2Eth0.startsWith("eth0@if") && box2HostVeth != null && peersMatchBothWays
                    && box2NsName.equals(namespaceOfPid) && bridgePorts.getOrDefault("br-my_net", List.of()).size() == 2
                    && bridgePorts.getOrDefault("docker0", List.of()).size() == 1 && inspection.endpoints().size() == 2 && inspectMatchesKernel
                    && reached.size() == 2 && reached.entrySet().stream().allMatch(e -> e.getKey().equals(e.getValue()));
        }
    }

    private S6Inspect() {}

    public static void main(String[] args) throws IOException {
        S1Demo.run((root, real, etc, out) -> run(root, real, etc, out));
    }

    public static Result run(Netlib root, boolean realTraffic, Path etcNetns, PrintStream out) {
        try (ScratchNamespaces scratch = new ScratchNamespaces(root, "s6", etcNetns); TcpProbe probe = new TcpProbe()) {
            out.println("== S6: inspect (sandbox namespaces " + scratch.name("*") + ")");
            Namespace hostNs = scratch.namespace("host");
            Netlib host = root.in(hostNs);
            host.link("lo").up();
            Networks networks = Networks.builder(host).store(new MemoryIpamStore()).etcNetns(etcNetns).open();
            networks.create("my_net").subnet("172.25.0.0/24").bridgeName("br-my_net").create();
            Namespace box1 = scratch.namespace("box1");
            Namespace box2 = scratch.namespace("box2");
            Namespace box3 = scratch.namespace("box3");
            networks.endpoint("bridge", box1).name("box1").connect();
            networks.endpoint("my_net", box2).name("box2").connect();
            networks.endpoint("my_net", box3).name("box3").connect();

            // ip -d link show, in the host and in box2. A new veth's operstate is set by the kernel's
            // linkwatch work, which batches non-urgent events and may run up to a second later
            // (net/core/link_watch.c), so wait for the host's veths to leave UNKNOWN before showing them.
            List<LinkInfo> hostLinks = linksSettled(host);
            List<LinkInfo> box2Links = root.in(box2).links();
            List<LinkRow> rows = new java.util.ArrayList<>();
            hostLinks.forEach(l -> rows.add(row("host", l)));
            box2Links.forEach(l -> rows.add(row("box2", l)));
            out.println(String.format("%-8s %3s %-18s %-7s %5s %-17s %-14s %-9s %s", "netns", "idx", "name", "kind", "mtu", "mac",
                    "state", "master", "veth peer"));
            rows.forEach(r -> out.println(r.render()));

            // eth0@ifN: box2's eth0 names its peer's index; that peer, in the host, names eth0's index back
            LinkInfo eth0 = box2Links.stream().filter(l -> l.name().equals("eth0")).findFirst().orElseThrow();
            Optional<LinkInfo> hostVeth = hostLinks.stream().filter(l -> l.index() == eth0.linkIndex() && l.isVeth()).findFirst();
            boolean both = hostVeth.isPresent() && hostVeth.get().linkIndex() == eth0.index();
            out.println("box2's " + eth0.displayName() + " is the host's " + hostVeth.map(LinkInfo::displayName).orElse("?")
                    + " (master " + hostVeth.flatMap(LinkInfo::master).orElse("-") + "); they name each other: " + both);

            // a process (here a thread) living in box2; from its pid back to the namespace and its name
            CountDownLatch exit = new CountDownLatch(1);
            long pid = startResident(root, box2, exit);
            scratch.onClose("stop the resident thread", () -> {
                exit.countDown();
                if (!(root.backend() instanceof FakeKernel fake)) {
                    ScratchNamespaces.awaitExit(pid);
                } else {
                    fake.unregisterProcess(pid);
                }
            });
            String found;
            try (Namespace ofPid = root.namespaces().ofPid(pid)) {
                found = identify(root, ofPid.inode());
            }
            out.println("ip netns identify " + pid + ": " + found);

            // brctl show
            Map<String, List<String>> ports = new LinkedHashMap<>();
            for (LinkInfo b : hostLinks) {
                if ("bridge".equals(b.kind())) {
                    ports.put(b.name(), hostLinks.stream().filter(l -> l.masterIndex() == b.index()).map(LinkInfo::name).sorted().toList());
                }
            }
            out.println("bridge name\tinterfaces");
            ports.forEach((b, p) -> out.println(b + "\t" + String.join(" ", p)));

            // docker network inspect my_net
            NetworkInspection inspection = networks.inspect("my_net");
            out.println("netlib inspect my_net:\n" + inspection.render());
            EndpointConfig box2Config = inspection.endpoints().stream().filter(e -> e.container().equals("box2")).findFirst().orElseThrow();
            boolean matches = box2Config.mac().equals(eth0.mac()) && root.in(box2).addresses().list("eth0").stream()
                    .anyMatch(a -> a.address().equals(box2Config.address()));
            out.println("box2's MAC and address in the inspect view are the kernel's: " + matches);

            Map<String, String> reached = new LinkedHashMap<>();
            if (realTraffic) {
                probe.serve(box2, "box2");
                probe.serve(box3, "box3");
                for (EndpointConfig e : inspection.endpoints()) {
                    String reply = TcpProbe.probe(box2, e.address().address(), 1000);
                    reached.put(e.container(), reply);
                    out.println("box2 -> " + e.container() + " at " + e.address().address().getHostAddress() + " (from inspect): "
                            + (reply == null ? "no answer" : "answered by " + reply));
                }
            }
            Result r = new Result(rows, eth0.displayName(), hostVeth.map(LinkInfo::name).orElse(null), both, pid, found, ports,
                    inspection, matches, reached);
            String box2Name = box2.name().orElseThrow();
            out.println(realTraffic ? (r.passed(box2Name) ? "S6 PASS" : "S6 FAIL: " + r) : "S6 built (no traffic on FakeKernel)");
            return r;
        }
    }

    /** The namespace's links, once every veth's operstate is past UNKNOWN (at most 3 s). */
    private static List<LinkInfo> linksSettled(Netlib ns) {
        long deadline = System.nanoTime() + 3_000_000_000L;
        List<LinkInfo> links = ns.links();
        while (links.stream().anyMatch(l -> l.isVeth() && l.operState() == OperState.UNKNOWN)
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            links = ns.links();
        }
        return links;
    }

    private static LinkRow row(String ns, LinkInfo l) {
        return new LinkRow(ns, l.index(), l.displayName(), l.kind() == null ? "" : l.kind(), l.mtu(), String.valueOf(l.mac()),
                (l.adminUp() ? "UP" : "DOWN") + "/" + l.operState(), l.master().orElse(null), l.isVeth() ? l.linkIndex() : 0,
                l.isVeth() ? l.linkNetnsId() : -1);
    }

    /** {@code ip netns identify}: the name under /var/run/netns whose namespace has this inode. */
    static String identify(Netlib root, long inode) {
        for (String name : root.namespaces().list()) {
            try (Namespace ns = root.namespaces().open(name)) {
                if (ns.inode() == inode) {
                    return name;
                }
            } catch (NetlibException vanished) {
                // deleted while we looked (another program's): not the one
            }
        }
        return null;
    }

    /**
     * Starts a thread inside {@code ns} (a thread inherits its creator's namespace) that lives
     * until {@code exit}; returns its thread id, a pid as far as /proc/PID/ns/net is concerned.
     */
    static long startResident(Netlib root, Namespace ns, CountDownLatch exit) {
        if (root.backend() instanceof FakeKernel fake) {
            long pid = 5_000_000L + ProcessHandle.current().pid();
            fake.registerProcess(pid, ns.ref());
            return pid;
        }
        CompletableFuture<Long> tid = new CompletableFuture<>();
        ns.run(() -> {
            Thread t = new Thread(() -> {
                try {
                    tid.complete(Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString()));
                    exit.await();
                } catch (IOException | RuntimeException e) {
                    tid.completeExceptionally(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "s6-resident");
            t.setDaemon(true);
            t.start();
        });
        try {
            return tid.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the resident thread did not start: " + e, e);
        }
    }
}
