package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import dev.netlib.ipam.FileIpamStore;
import dev.netlib.model.LinkInfo;
import dev.netlib.nat.NatRule;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Network;
import dev.netlib.network.Networks;
import dev.netlib.spi.nft.DnatRule;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Four writers, each a {@link Networks} of its own on its own store object over one store
 * directory and one FakeKernel (as processes on one host), doing random work on the same three
 * networks, four containers and four host ports at once ({@link ManyWritersSteps}). An operation
 * may be refused because of another's; nothing else may fail, and a reconcile among them finds
 * nothing. When all have stopped, the store, the kernel and the hosts files agree: reconcile finds
 * nothing, no address is held twice, every endpoint's interfaces are where its record says, the
 * bridges' ports are exactly the endpoints', and the published ports installed are exactly the
 * recorded ones. The writers are threads: within one JVM an operation's owner is gone as soon as
 * the operation ends (as a short-lived process's is), which is the harder case for reconcile.
 * {@link NetworksAtOnceKernelTest} runs the same steps in three JVMs on the real kernel.
 */
class ManyWritersFakeTest {
    private static final int WRITERS = 4;
    private static final int OPS = 150;

    @TempDir
    Path tmp;

    /**
     * Seeds 1 to 6, or as many as the system property {@code netlib.chaos.seeds} says (a campaign),
     * from the seed {@code netlib.chaos.from} (default 1).
     */
    static java.util.stream.LongStream seeds() {
        long from = Long.getLong("netlib.chaos.from", 1);
        return java.util.stream.LongStream.range(from, from + Long.getLong("netlib.chaos.seeds", 6));
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void writersAtOnceLeaveStoreKernelAndFilesInAgreement(long seed) throws Exception {
        Netlib root = Netlib.open(new FakeKernel());
        Netlib host = root.in(root.namespaces().create("nlc-host"));
        Path dir = tmp.resolve("store");
        Path etc = tmp.resolve("etc");
        List<Namespace> boxes = new ArrayList<>();
        for (String c : List.of("c0", "c1", "c2", "c3")) {
            Namespace ns = root.namespaces().create(c);
            root.in(ns).link("lo").up();
            boxes.add(ns);
        }
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            CyclicBarrier go = new CyclicBarrier(WRITERS);
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                Networks nets = Networks.builder(host).store(FileIpamStore.open(dir)).etcNetns(etc).open();
                Random random = new Random(seed * 1000 + i);
                String who = "w" + i;
                runs.add(pool.submit(() -> {
                    go.await();
                    for (int op = 0; op < OPS; op++) {
                        try {
                            ManyWritersSteps.step(nets, boxes, random);
                        } catch (ManyWritersSteps.Unexpected e) {
                            unexpected.add(who + " op " + op + ": " + e.getMessage());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(unexpected).as("failures no other writer's work explains").isEmpty();
        Networks after = Networks.builder(host).store(FileIpamStore.open(dir)).etcNetns(etc).open();
        assertThat(after.reconcile(false).findings()).as("reconcile after the writers stopped").isEmpty();
        assertAgreement(host, root, after);
    }

    private static void assertAgreement(Netlib host, Netlib root, Networks nets) {
        Set<NatRule> published = new HashSet<>();
        Set<String> hostIfs = new HashSet<>();
        for (Network n : nets.list()) {
            Set<InetAddress> addresses = new HashSet<>();
            for (Endpoint e : nets.endpoints(n.name())) {
                assertThat(addresses.add(e.address())).as("address %s held once on %s", e.address(), n.name()).isTrue();
                e.portMappings().forEach(p -> published.add(p.rule(e.address())));
                hostIfs.add(e.config().hostIfName());
                try (Namespace box = root.namespaces().open(e.container())) {
                    assertThat(root.in(box).findLink(e.interfaceName())).as("%s in %s", e.interfaceName(), e.container()).isPresent();
                }
                assertThat(host.link(e.config().hostIfName()).info().masterName()).isEqualTo(n.config().device());
            }
        }
        assertThat(host.nat().list().stream().filter(r -> r.spec() instanceof DnatRule).toList())
                .as("the published ports installed are exactly the recorded ones").containsExactlyInAnyOrderElementsOf(published);
        List<String> ports = host.links().stream().filter(l -> l.masterName() != null).map(LinkInfo::name).toList();
        assertThat(new HashSet<>(ports)).as("bridge ports are exactly the endpoints'").isEqualTo(hostIfs);
    }
}
