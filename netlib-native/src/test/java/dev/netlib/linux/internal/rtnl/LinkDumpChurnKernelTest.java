package dev.netlib.linux.internal.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.linux.internal.netlink.NetlinkConstants;
import dev.netlib.linux.internal.netlink.NetlinkSocket;
import dev.netlib.linux.testing.ThrowawayNetns;
import dev.netlib.model.BridgeSpec;
import dev.netlib.model.LinkAttributes;
import dev.netlib.model.LinkInfo;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.spi.change.DeleteLink;
import dev.netlib.spi.change.KernelChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kernel test (root): {@link Rtnl#links()} while a second socket creates and deletes links as fast
 * as it can. The reader's socket gives up on the dump after ONE interrupted attempt (instead of
 * {@link NetlinkSocket#DUMP_RETRIES}), so the per-link fallback answers often; every answer, from
 * the dump or from the fallback, must hold every link that existed throughout the call exactly
 * once, and never fail.
 */
class LinkDumpChurnKernelTest {
    private static final int STABLE = 300;
    private ThrowawayNetns ns;
    private Rtnl reader;
    private Rtnl writer;

    @BeforeEach
    void setUp() {
        ThrowawayNetns.assumeRoot();
        ns = ThrowawayNetns.create("nlr", "churn");
        NamespaceFds none = ref -> {
            throw new AssertionError("no other namespace expected");
        };
        NetlinkSocket socket = ns.openSocket(NetlinkConstants.NETLINK_ROUTE);
        socket.dumpRetries(1);
        reader = new Rtnl(socket, none);
        writer = new Rtnl(ns.openSocket(NetlinkConstants.NETLINK_ROUTE), none);
        List<KernelChange> seed = new ArrayList<>();
        for (int i = 0; i < STABLE; i++) {
            seed.add(new CreateLink("st" + i, LinkAttributes.NONE, BridgeSpec.DEFAULT));
        }
        writer.apply(seed);
    }

    @AfterEach
    void tearDown() {
        try {
            if (reader != null) {
                reader.close();
            }
            if (writer != null) {
                writer.close();
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }

    @Test
    void linksUnderChurnAreWholeAndNeverFail() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> churnFailure = new AtomicReference<>();
        Thread churn = new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) {
                    String name = "ch" + (i % 8);
                    writer.apply(List.of(new CreateLink(name, LinkAttributes.NONE, BridgeSpec.DEFAULT)));
                    writer.apply(List.of(new DeleteLink(name)));
                }
            } catch (Throwable t) {
                churnFailure.set(t);
            }
        }, "nlr-churn");
        churn.start();
        NetlinkSocket socket = reader.socket();
        int reads = 0;
        long deadline = System.nanoTime() + 5_000_000_000L;
        try {
            while (System.nanoTime() < deadline && (socket.dumpFallbacks() < 3 || reads < 20)) {
                List<String> names = reader.links().stream().map(LinkInfo::name).toList();
                assertThat(names).doesNotHaveDuplicates();
                assertThat(names.stream().filter(n -> n.startsWith("st"))).hasSize(STABLE);
                assertThat(names).contains("lo");
                reads++;
            }
        } finally {
            stop.set(true);
            churn.join();
        }
        assertThat(churnFailure.get()).as("the churning writer").isNull();
        System.out.println(reads + " link reads under churn, " + socket.dumpFallbacks() + " answered by the per-link fallback");
        assertThat(socket.dumpFallbacks()).as("reads answered by the fallback (the churn must interrupt some dumps)").isPositive();
    }
}
