package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.FileIpamStore;
import dev.netlib.ipam.IpamStore;
import dev.netlib.model.AddressInfo;
import dev.netlib.model.LinkInfo;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Network;
import dev.netlib.network.Networks;
import dev.netlib.network.ReconcileReport;
import dev.netlib.testjvm.ChildJvm;
import dev.netlib.value.IpPrefix;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * N JVMs on one host and one file store (or etcd: {@link EtcdManyProcessesKernelTest}) at once, on
 * the real kernel: each creates a network (the
 * subnet race) and connects, fails (an injected failure after the lease and the veth) and
 * disconnects the same container names on a shared network, while this JVM runs reconcile(true) in a
 * loop and kills one of them mid-way. At the end: no address handed out twice, no overlapping
 * subnets, every record's interface in the kernel and every netlib interface in the kernel on record,
 * and no operation of a living process disturbed by the reconciles (a child exits 2 on any failure
 * that other processes' work does not explain).
 */
class ManyProcessesKernelTest {
    private static final int CHILDREN = 3;
    private static final int CONTAINERS = 6;
    private static final int ROUNDS = 30;

    @TempDir
    Path tmp;

    @Test
    void jvmsConnectingFailingAndDisconnectingAtOnceNeverDuplicateAndLeaveStoreEqualToKernel() throws Exception {
        Path store = tmp.resolve("store");
        run(tmp, "mp", FileIpamStore.open(store), store.toString());
    }

    /**
     * The test on any store: this JVM uses {@code parentStore}, the children open {@code childStore}
     * ({@link ManyProcessesChild#openStore}); {@code tag} names the sandbox's namespaces.
     */
    static void run(Path tmp, String tag, IpamStore parentStore, String childStore) throws Exception {
        List<Process> children = new ArrayList<>();
        try (Netlib root = KernelAccess.openOrSkip("many processes kernel test");
             Sandbox sandbox = new Sandbox(root, tag, tmp.resolve("etc"))) {
            Namespace hostNs = sandbox.namespace("host");
            List<Namespace> boxes = new ArrayList<>();
            for (int i = 0; i < CONTAINERS; i++) {
                boxes.add(sandbox.namespace("c" + i));
            }
            Path etc = tmp.resolve("etc");
            Netlib host = root.in(hostNs);
            Networks networks = Networks.builder(host).store(parentStore).etcNetns(etc).open();
            networks.create("shared").subnet("10.61.0.0/24").create();

            ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i <= CHILDREN; i++) { // one more: the one killed mid-way
                Process p = child("j" + i, childStore, etc, sandbox.name(""), tmp);
                children.add(p);
                readers.add(drain(p, "j" + i, output));
            }
            int reconciles = 0;
            long killAt = System.nanoTime() + 1_500_000_000L;
            boolean killed = false;
            while (children.stream().anyMatch(Process::isAlive)) {
                ReconcileReport r = networks.reconcile(true); // while the others work
                reconciles++;
                if (!r.isClean()) {
                    output.add("reconcile: " + r);
                }
                if (!killed && System.nanoTime() > killAt) {
                    children.get(CHILDREN).toHandle().destroyForcibly(); // kill -9 mid-operation, most likely
                    killed = true;
                }
            }
            for (Thread t : readers) {
                t.join(10_000);
            }
            output.forEach(System.out::println);
            for (int i = 0; i < CHILDREN; i++) {
                assertThat(children.get(i).exitValue()).as("JVM j%d (output above)", i).isZero();
            }
            assertThat(output).filteredOn(l -> l.startsWith("DONE")).hasSizeGreaterThanOrEqualTo(CHILDREN);
            System.out.println("many processes: " + CHILDREN + " JVMs + 1 killed, " + reconciles + " reconciles meanwhile");

            ReconcileReport afterKill = networks.reconcile(true); // what the killed JVM left
            System.out.println("after the kill:\n" + afterKill);
            assertThat(networks.reconcile(false).findings()).as("residue").isEmpty();

            // store: no duplicate address, no overlapping subnet
            List<Network> nets = networks.list();
            assertThat(nets).hasSizeGreaterThanOrEqualTo(CHILDREN + 1);
            for (int i = 0; i < nets.size(); i++) {
                for (int k = i + 1; k < nets.size(); k++) {
                    IpPrefix a = nets.get(i).config().subnet();
                    IpPrefix b = nets.get(k).config().subnet();
                    assertThat(a.overlaps(b)).as("%s of %s and %s of %s", a, nets.get(i).name(), b, nets.get(k).name()).isFalse();
                }
            }
            Map<String, Set<String>> recorded = new HashMap<>(); // namespace -> "ifName address"
            int endpoints = 0;
            for (Network n : nets) {
                Set<String> addresses = new HashSet<>();
                for (Endpoint e : n.endpoints()) {
                    assertThat(addresses.add(e.ip())).as("address %s handed out twice on %s", e.ip(), n.name()).isTrue();
                    recorded.computeIfAbsent(sandbox.name(e.container()), k -> new HashSet<>()).add(e.interfaceName() + " " + e.config().address());
                    endpoints++;
                }
                // kernel: the bridge's ports are exactly the recorded endpoints' host ends
                Set<String> ports = new HashSet<>();
                for (LinkInfo l : host.links()) {
                    if (n.config().device().equals(l.masterName())) {
                        ports.add(l.name());
                    }
                }
                assertThat(ports).as("ports of %s", n.name())
                        .containsExactlyInAnyOrderElementsOf(n.endpoints().stream().map(e -> e.config().hostIfName()).toList());
            }
            // kernel: every container's eth* addresses are exactly its records
            for (int i = 0; i < CONTAINERS; i++) {
                Set<String> inKernel = new HashSet<>();
                for (AddressInfo a : root.in(boxes.get(i)).addresses().list()) {
                    if (a.address().isIpv4() && a.device().startsWith("eth")) {
                        inKernel.add(a.device() + " " + a.address());
                    }
                }
                assertThat(inKernel).as("addresses in c%d", i).isEqualTo(recorded.getOrDefault(sandbox.name("c" + i), Set.of()));
            }
            System.out.println("many processes (" + parentStore.describe() + "): " + endpoints + " endpoints at the end, store == kernel");
            // the sandbox's namespaces take the bridges, veths and nft table with them
        } finally {
            for (Process p : children) {
                p.toHandle().destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A child JVM. The one killed mid-way cannot remove what it made at start: with an etcd store,
     * jetcd's vert.x cache directory goes under {@code tmp} (removed with it), not /tmp; and no
     * perf-data file at all.
     */
    private static Process child(String id, String store, Path etc, String prefix, Path tmp) throws Exception {
        return ChildJvm.builder(List.of("-Dvertx.cacheDirBase=" + tmp.resolve("vertx-cache"),
                        "-Dorg.slf4j.simpleLogger.log.dev.netlib.changes=" + (System.getenv("NL_MP_DEBUG") != null ? "debug" : "info")),
                ManyProcessesChild.class, id, store, etc.toString(), prefix, Integer.toString(CONTAINERS), Integer.toString(ROUNDS))
                .redirectErrorStream(true).start();
    }

    private static Thread drain(Process p, String id, ConcurrentLinkedQueue<String> out) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (System.getenv("NL_MP_DEBUG") != null) {
                        java.nio.file.Files.writeString(Path.of(System.getenv("NL_MP_DEBUG"), id + ".log"), line + "\n",
                                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    }
                    if (!line.contains(" DEBUG ") && !line.contains(" INFO ")) {
                        out.add(line.startsWith("DONE") ? line : id + ": " + line);
                    }
                }
            } catch (java.io.IOException e) {
                out.add(id + ": " + e);
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
