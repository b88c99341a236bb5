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
        try (Lab lab = new Lab(tmp, "iso"); TcpProbe probe = new TcpProbe()) {
            for (int i = 0; i < CHILDREN; i++) {
                lab.child(NetworksAtOnceChild.class, "j" + i, Integer.toString(NETWORKS_EACH), lab.start.toString());
            }
            lab.startAndAwait();

            Networks networks = lab.networks();
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
            String host = lab.sandbox.name("host");
            // a creation that read a network just being removed may have added a pair naming its
            // (now deleted) bridge: harmless, and reconcile's to remove
            assertThat(isolated(host)).containsAll(everyPair);
            networks.reconcile(true);
            assertThat(networks.reconcile(false).findings()).as("residue").isEmpty();
            assertThat(isolated(host)).isEqualTo(everyPair);

            Network a = networks.network("j0-n9");
            Network b = networks.network("j1-n9");
            Namespace boxA = lab.box("a");
            Namespace boxB = lab.box("b");
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
        }
    }

    /**
     * Three JVMs do random work on the same three networks, two containers and four host ports at
     * once ({@link ManyWritersChild}): creating and removing networks, connecting and disconnecting,
     * publishing and unpublishing, reconciling. Each may be refused because of another's work and
     * nothing else; a reconcile among them finds nothing. Afterwards the store, the kernel and the
     * files agree: reconcile finds nothing, map {@code published} holds exactly the recorded ports
     * ({@code nft -j}), and a fresh container on each network reaches every container recorded
     * there over TCP.
     */
    @Test
    void threeJvmsDoingRandomWorkOnTheSameNetworksAndContainersLeaveStoreKernelAndFilesAgreeing() throws Exception {
        try (Lab lab = new Lab(tmp, "mw"); TcpProbe probe = new TcpProbe()) {
            java.util.Map<String, Namespace> boxes = new java.util.HashMap<>();
            for (String c : ManyWritersChild.CONTAINERS) {
                boxes.put(lab.sandbox.name(c), lab.box(c));
            }
            for (int i = 0; i < CHILDREN; i++) {
                lab.child(ManyWritersChild.class, Integer.toString(i + 1), lab.start.toString(), "120");
            }
            List<String> outputs = lab.startAndAwait();
            outputs.forEach(o -> o.lines().filter(l -> l.startsWith("DONE")).forEach(l -> System.out.println("many writers: " + l)));

            Networks networks = lab.networks();
            assertThat(networks.reconcile(false).findings()).as("after the writers").isEmpty();
            String host = lab.sandbox.name("host");
            Set<Integer> recorded = new HashSet<>();
            for (Network n : networks.list()) {
                for (Endpoint e : networks.endpoints(n.name())) {
                    e.portMappings().forEach(p -> {
                        for (int port = p.hostPortFirst(); port <= p.hostPortLast(); port++) {
                            recorded.add(port);
                        }
                    });
                }
            }
            Set<Integer> installed = new HashSet<>();
            if (!networks.list().isEmpty()) {
                Matcher m = PUBLISHED_PORT.matcher(nft(host, "-j", "list", "map", "ip", "netlib", "published"));
                while (m.find()) {
                    installed.add(Integer.parseInt(m.group(1)));
                }
            }
            assertThat(installed).as("ports in map published").isEqualTo(recorded);
            Set<String> serving = new HashSet<>();
            int reached = 0;
            for (Network n : networks.list()) {
                List<Endpoint> there = networks.endpoints(n.name());
                if (there.isEmpty()) {
                    continue;
                }
                Namespace probeBox = lab.box("z-" + n.name());
                Endpoint z = networks.connect(n.name(), probeBox);
                for (Endpoint e : there) {
                    if (serving.add(e.container())) {
                        probe.serve(boxes.get(e.container()), e.container());
                    }
                    assertThat(TcpProbe.probe(probeBox, e.address(), 2000)).as("%s on %s from a new container", e.container(), n.name())
                            .isEqualTo(e.container());
                    reached++;
                }
                networks.disconnect(n.name(), z.container());
            }
            System.out.println("many writers: " + networks.list().size() + " networks left, " + reached + " endpoints reached");
            for (String c : boxes.keySet()) {
                networks.disconnectAll(c);
            }
            for (Network n : networks.list()) {
                networks.remove(n.name());
            }
            assertThat(networks.reconcile(false).findings()).as("residue").isEmpty();
            assertThat(nft(host, "list", "tables")).doesNotContain("netlib");
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
        Path stop = tmp.resolve("stop");
        try (Lab lab = new Lab(tmp, "cbr")) {
            Namespace box = lab.box("box");
            for (String mode : List.of("remove", "connect")) {
                lab.child(ConnectBesideRemoveChild.class, mode, "40", lab.start.toString(), stop.toString());
            }
            List<String> done = new ArrayList<>();
            for (String out : lab.startAndAwait()) {
                out.lines().filter(l -> l.startsWith("DONE")).forEach(done::add);
            }
            System.out.println("connect beside remove: " + done);
            assertThat(done).hasSize(2);
            assertThat(done.get(0)).startsWith("DONE remove 40 ");
            assertThat(Integer.parseInt(done.get(1).split(" ")[2])).as("connects that won").isPositive();

            Networks networks = lab.networks();
            assertThat(networks.reconcile(false).findings()).as("residue").isEmpty();
            assertThat(networks.list()).isEmpty();
            assertThat(lab.root.in(box).links()).extracting(l -> l.name()).containsExactly("lo");
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
        int rounds = 15;
        try (Lab lab = new Lab(tmp, "pb")) {
            Namespace shared = lab.box("shared");
            Networks networks = lab.networks();
            networks.create("n").subnet("10.66.0.0/24").create();
            Endpoint e = networks.endpoint("n", shared).name("shared").connect();
            for (int i = 0; i < CHILDREN; i++) {
                lab.child(PortsBesideChild.class, Integer.toString(i), Integer.toString(rounds), lab.start.toString());
            }
            lab.startAndAwait();
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
            Matcher m = PUBLISHED_PORT.matcher(nft(lab.sandbox.name("host"), "-j", "list", "map", "ip", "netlib", "published"));
            while (m.find()) {
                installed.add(Integer.parseInt(m.group(1)));
            }
            assertThat(installed).as("ports in map published").isEqualTo(expected);
            assertThat(networks.reconcile(false).findings()).as("residue").isEmpty();
            networks.disconnect("n", e.container());
            networks.remove("n");
            assertThat(nft(lab.sandbox.name("host"), "list", "tables")).doesNotContain("netlib");
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
        try (Lab lab = new Lab(tmp, "dn")) {
            for (int i = 0; i < CHILDREN; i++) {
                lab.box("box-" + i);
                lab.child(DefaultNetworkChild.class, Integer.toString(i), lab.start.toString());
            }
            Set<String> addresses = new HashSet<>();
            for (String out : lab.startAndAwait()) {
                out.lines().filter(l -> l.startsWith("DONE")).forEach(l -> addresses.add(l.split(" ")[2]));
            }
            assertThat(addresses).containsExactlyInAnyOrder("172.17.0.2", "172.17.0.3", "172.17.0.4");
            Networks networks = lab.networks();
            assertThat(networks.list()).extracting(Network::name).containsExactly("bridge");
            assertThat(networks.reconcile(false).findings()).as("residue").isEmpty();
        }
    }

    /**
     * One test's host: a sandbox whose namespace {@code host} plays it, a file store, an /etc/netns
     * root, and the child JVMs with the flag that starts them together. Closing it kills the
     * children that are still running and removes the flag, the namespaces and their files.
     */
    private static final class Lab implements AutoCloseable {
        final Path store;
        final Path etc;
        final Path start;
        final Netlib root;
        final Sandbox sandbox;
        final Namespace hostNs;
        private final List<Process> children = new ArrayList<>();

        Lab(Path tmp, String tag) throws IOException {
            store = tmp.resolve("store");
            etc = tmp.resolve("etc");
            start = ChildJvm.newStartFlag("nlw-" + tag);
            root = KernelAccess.openOrSkip(tag + " kernel test");
            Sandbox made = null;
            try {
                made = new Sandbox(root, tag, etc);
                hostNs = made.namespace("host");
            } catch (RuntimeException e) {
                if (made != null) {
                    made.close();
                }
                root.close();
                throw e;
            }
            sandbox = made;
        }

        /** Starts {@code main} with {@code first STORE ETC PREFIX rest...}, waiting for the start flag. */
        void child(Class<?> main, String first, String... rest) throws IOException {
            List<String> args = new ArrayList<>(List.of(first, store.toString(), etc.toString(), sandbox.name("")));
            args.addAll(List.of(rest));
            children.add(ChildJvm.builder(List.of(), main, args.toArray(String[]::new)).redirectErrorStream(true).start());
        }

        /** Creates the start flag, then waits for each child to end with status 0 (its output in the failure message); their outputs, in order. */
        List<String> startAndAwait() throws IOException, InterruptedException {
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

        /** A namespace of the sandbox with lo up, as a container's (netlib brings lo up on connect and leaves it so). */
        Namespace box(String name) {
            Namespace ns = sandbox.namespace(name);
            root.in(ns).link("lo").up();
            return ns;
        }

        /** This JVM's view of the host, on the children's store. */
        Networks networks() {
            return Networks.builder(root.in(hostNs)).store(FileIpamStore.open(store)).etcNetns(etc).open();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try {
                for (Process p : children) {
                    p.toHandle().destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
                Files.deleteIfExists(start);
            } finally {
                try {
                    sandbox.close();
                } finally {
                    root.close();
                }
            }
        }
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
