package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.FileIpamStore;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Network;
import dev.netlib.network.Networks;
import dev.netlib.testjvm.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JVMs on one host and one file store create and remove bridge networks at the same moment
 * ({@link NetworksAtOnceChild}), on the real kernel. Each creation reads the networks defined so far
 * for its isolation rules, and a network another JVM is creating has no record yet, so every
 * creation reads them again once its own record is stored: at the end every two networks are
 * isolated from each other in the kernel's set {@code isolated} (read with {@code nft -j}), and a
 * container on one network of one JVM cannot reach a container on another JVM's network, until that
 * pair's elements are deleted by hand (then it can: the isolation is what stops it), and again once
 * reconcile has found the pair missing and put it back.
 */
class NetworksAtOnceKernelTest {
    private static final int CHILDREN = 3;
    private static final int NETWORKS_EACH = 10; // 5 removed again: 5 left per JVM
    /** A key of map {@code published} in {@code nft -j}: {@code "concat": ["tcp", 20001]}. */
    private static final Pattern PUBLISHED_PORT = Pattern.compile("\"concat\": \\[\"tcp\", (\\d+)\\]");
    private static final Pattern PAIR = Pattern.compile("\"concat\": \\[\"([^\"]+)\", \"([^\"]+)\"\\]");

    @TempDir
    Path tmp;

    @Test
    void networksCreatedByThreeJvmsAtOnceAreEachIsolatedFromEveryOther() throws Exception {
        Path store = tmp.resolve("store");
        Path etc = tmp.resolve("etc");
        Path start = ChildJvm.newStartFlag("nlw-iso");
        List<Process> children = new ArrayList<>();
        try (Netlib root = KernelAccess.openOrSkip("networks at once kernel test");
             Sandbox sandbox = new Sandbox(root, "iso", etc);
             TcpProbe probe = new TcpProbe()) {
            Namespace hostNs = sandbox.namespace("host");
            for (int i = 0; i < CHILDREN; i++) {
                children.add(ChildJvm.builder(List.of(), NetworksAtOnceChild.class, "j" + i, store.toString(), etc.toString(),
                        sandbox.name(""), Integer.toString(NETWORKS_EACH), start.toString()).redirectErrorStream(true).start());
            }
            startAndAwait(start, children);

            Networks networks = Networks.builder(root.in(hostNs)).store(FileIpamStore.open(store)).etcNetns(etc).open();
            List<String> bridges = networks.list().stream().map(n -> n.config().device()).toList();
            assertThat(bridges).hasSize(CHILDREN * NETWORKS_EACH / 2);
            Set<List<String>> everyPair = new HashSet<>();
            for (String a : bridges) {
                for (String b : bridges) {
                    if (!a.equals(b)) {
                        everyPair.add(List.of(a, b));
                    }
                }
            }
            String host = sandbox.name("host");
            // a creation that read a network just being removed may have added a pair naming its
            // (now deleted) bridge: harmless, and reconcile's to remove
            assertThat(isolated(host)).containsAll(everyPair);
            networks.reconcile(true);
            assertThat(networks.reconcile(false).findings()).as("residue").isEmpty();
            assertThat(isolated(host)).isEqualTo(everyPair);

            Network a = networks.network("j0-n9");
            Network b = networks.network("j1-n9");
            Namespace boxA = sandbox.namespace("a");
            Namespace boxB = sandbox.namespace("b");
            root.in(boxA).link("lo").up();
            root.in(boxB).link("lo").up();
            Endpoint ea = networks.connect(a.name(), boxA);
            Endpoint eb = networks.connect(b.name(), boxB);
            probe.serve(boxB, "b");
            assertThat(TcpProbe.probe(boxA, eb.address(), 300)).as("a -> b across two networks").isNull();
            String da = a.config().device();
            String db = b.config().device();
            nft(host, "delete", "element", "ip", "netlib", "isolated", "{ \"" + da + "\" . \"" + db + "\", \"" + db + "\" . \"" + da + "\" }");
            assertThat(TcpProbe.probe(boxA, eb.address(), 2000)).as("a -> b without their isolation").isEqualTo("b");
            assertThat(networks.reconcile(true).findings()).extracting(Object::toString)
                    .anyMatch(f -> f.contains("isolate") && f.contains("is missing") && f.contains("repaired"));
            assertThat(TcpProbe.probe(boxA, eb.address(), 300)).as("a -> b once reconcile put the isolation back").isNull();
            networks.disconnect(a.name(), ea.container());
            networks.disconnect(b.name(), eb.container());
            for (Network n : networks.list()) {
                networks.remove(n.name());
            }
            assertThat(nft(host, "list", "tables")).doesNotContain("netlib");
        } finally {
            for (Process p : children) {
                p.toHandle().destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(start);
        }
    }

    /**
     * One JVM creates network {@code race} and removes it again, 40 times; another connects a
     * container to it and disconnects, as fast as it can. A removal checks endpoints and address
     * leases, then deletes; a connect whose lease came after that check used to succeed beside the
     * removal, and its disconnect then failed on a network no longer defined. Now the connect
     * checks for the removal's note after its lease: every disconnect succeeds, and the store and
     * the kernel agree at the end.
     */
    @Test
    void aConnectBesideARemovalInAnotherJvmNeverOutlivesTheNetwork() throws Exception {
        Path store = tmp.resolve("store");
        Path etc = tmp.resolve("etc");
        Path start = ChildJvm.newStartFlag("nlw-cbr");
        Path stop = tmp.resolve("stop");
        List<Process> children = new ArrayList<>();
        try (Netlib root = KernelAccess.openOrSkip("connect beside remove kernel test");
             Sandbox sandbox = new Sandbox(root, "cbr", etc)) {
            Namespace hostNs = sandbox.namespace("host");
            Namespace box = sandbox.namespace("box");
            root.in(box).link("lo").up();
            for (String mode : List.of("remove", "connect")) {
                children.add(ChildJvm.builder(List.of(), ConnectBesideRemoveChild.class, mode, store.toString(), etc.toString(),
                        sandbox.name(""), "40", start.toString(), stop.toString()).redirectErrorStream(true).start());
            }
            List<String> done = new ArrayList<>();
            for (String out : startAndAwait(start, children)) {
                out.lines().filter(l -> l.startsWith("DONE")).forEach(done::add);
            }
            System.out.println("connect beside remove: " + done);
            assertThat(done).hasSize(2);
            assertThat(done.get(0)).startsWith("DONE remove 40 ");
            assertThat(Integer.parseInt(done.get(1).split(" ")[2])).as("connects that won").isPositive();

            Networks networks = Networks.builder(root.in(hostNs)).store(FileIpamStore.open(store)).etcNetns(etc).open();
            assertThat(networks.reconcile(false).findings()).as("residue").isEmpty();
            assertThat(networks.list()).isEmpty();
            assertThat(root.in(box).links()).extracting(l -> l.name()).containsExactly("lo");
        } finally {
            for (Process p : children) {
                p.toHandle().destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(start);
        }
    }

    /**
     * Three JVMs publish and unpublish ports of their own on one endpoint at once, 15 rounds each. A
     * change of the endpoint's ports was written over the record read before it, so another JVM's
     * port published in between was lost from the record and stayed in the kernel. Now each change
     * is written only over the record it was planned on, and starts again when it moved: at the end
     * the record lists exactly each JVM's 15 ports, and the kernel's map {@code published} holds
     * exactly those (read with {@code nft -j}).
     */
    @Test
    void portsChangedByThreeJvmsOnOneEndpointAtOnceAreAllRecordedAndInstalled() throws Exception {
        Path store = tmp.resolve("store");
        Path etc = tmp.resolve("etc");
        Path start = ChildJvm.newStartFlag("nlw-pb");
        List<Process> children = new ArrayList<>();
        int rounds = 15;
        try (Netlib root = KernelAccess.openOrSkip("ports beside kernel test");
             Sandbox sandbox = new Sandbox(root, "pb", etc)) {
            Namespace hostNs = sandbox.namespace("host");
            Namespace shared = sandbox.namespace("shared");
            root.in(shared).link("lo").up();
            Networks networks = Networks.builder(root.in(hostNs)).store(FileIpamStore.open(store)).etcNetns(etc).open();
            networks.create("n").subnet("10.66.0.0/24").create();
            Endpoint e = networks.endpoint("n", shared).name("shared").connect();
            for (int i = 0; i < CHILDREN; i++) {
                children.add(ChildJvm.builder(List.of(), PortsBesideChild.class, Integer.toString(i), store.toString(), etc.toString(),
                        sandbox.name(""), Integer.toString(rounds), start.toString()).redirectErrorStream(true).start());
            }
            startAndAwait(start, children);
            Set<Integer> expected = new HashSet<>();
            for (int i = 0; i < CHILDREN; i++) {
                for (int r = 0; r < rounds; r++) {
                    expected.add(20000 + 100 * i + 2 * r + 1);
                }
            }
            Set<Integer> recorded = new HashSet<>();
            for (String spec : networks.findEndpoint("n", "shared").orElseThrow().ports()) {
                recorded.add(Integer.parseInt(spec.substring(0, spec.indexOf(':'))));
            }
            assertThat(recorded).as("ports in the endpoint's record").isEqualTo(expected);
            Set<Integer> installed = new HashSet<>();
            Matcher m = PUBLISHED_PORT.matcher(nft(sandbox.name("host"), "-j", "list", "map", "ip", "netlib", "published"));
            while (m.find()) {
                installed.add(Integer.parseInt(m.group(1)));
            }
            assertThat(installed).as("ports in map published").isEqualTo(expected);
            assertThat(networks.reconcile(false).findings()).as("residue").isEmpty();
            networks.disconnect("n", e.container());
            networks.remove("n");
            assertThat(nft(sandbox.name("host"), "list", "tables")).doesNotContain("netlib");
        } finally {
            for (Process p : children) {
                p.toHandle().destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(start);
        }
    }

    /**
     * Three JVMs connect a container each to the default network at the same moment, on a host where
     * it does not exist yet: one creates it, and the others, finding its bridge or subnet lease
     * taken before its record exists, wait for that record instead of failing. Three addresses,
     * one network, nothing for reconcile.
     */
    @Test
    void threeJvmsUsingTheDefaultNetworkFirstAtOnceAllConnect() throws Exception {
        Path store = tmp.resolve("store");
        Path etc = tmp.resolve("etc");
        Path start = ChildJvm.newStartFlag("nlw-dn");
        List<Process> children = new ArrayList<>();
        try (Netlib root = KernelAccess.openOrSkip("default network at once kernel test");
             Sandbox sandbox = new Sandbox(root, "dn", etc)) {
            Namespace hostNs = sandbox.namespace("host");
            for (int i = 0; i < CHILDREN; i++) {
                root.in(sandbox.namespace("box-" + i)).link("lo").up();
                children.add(ChildJvm.builder(List.of(), DefaultNetworkChild.class, Integer.toString(i), store.toString(), etc.toString(),
                        sandbox.name(""), start.toString()).redirectErrorStream(true).start());
            }
            Set<String> addresses = new HashSet<>();
            for (String out : startAndAwait(start, children)) {
                out.lines().filter(l -> l.startsWith("DONE")).forEach(l -> addresses.add(l.split(" ")[2]));
            }
            assertThat(addresses).containsExactlyInAnyOrder("172.17.0.2", "172.17.0.3", "172.17.0.4");
            Networks networks = Networks.builder(root.in(hostNs)).store(FileIpamStore.open(store)).etcNetns(etc).open();
            assertThat(networks.list()).extracting(Network::name).containsExactly("bridge");
            assertThat(networks.reconcile(false).findings()).as("residue").isEmpty();
        } finally {
            for (Process p : children) {
                p.toHandle().destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(start);
        }
    }

    /**
     * Creates the start flag the started {@code children} wait for, then waits for each to end
     * with status 0 (its output in the failure message) and returns their outputs, in order.
     */
    private static List<String> startAndAwait(Path start, List<Process> children) throws IOException, InterruptedException {
        Files.createFile(start);
        List<String> outputs = new ArrayList<>();
        for (Process p : children) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            outputs.add(out);
        }
        return outputs;
    }

    /** The pairs of set {@code isolated} of netlib's table in namespace {@code host}, read with {@code nft -j}. */
    private static Set<List<String>> isolated(String host) throws IOException, InterruptedException {
        Set<List<String>> pairs = new HashSet<>();
        Matcher m = PAIR.matcher(nft(host, "-j", "list", "set", "ip", "netlib", "isolated"));
        while (m.find()) {
            pairs.add(List.of(m.group(1), m.group(2)));
        }
        return pairs;
    }

    private static String nft(String netns, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns, "nft"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }
}
