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
            Files.createFile(start);
            for (Process p : children) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
                assertThat(p.exitValue()).as(out).isZero();
            }

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
            Files.createFile(start);
            List<String> done = new ArrayList<>();
            for (Process p : children) {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
                assertThat(p.exitValue()).as(out).isZero();
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
