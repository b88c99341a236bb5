package dev.netlib.overlay;

import static dev.netlib.overlay.OverlayWaits.await;
import static dev.netlib.overlay.OverlayWaits.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.cluster.MemoryClusterStore;
import dev.netlib.fake.FakeKernel;
import dev.netlib.value.IpAddresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciles an advert schedules for later run, and repair what changed after the advert's own
 * reconcile: the hosts file the network layer rewrites without the overlay's section right after the
 * advert, and any kernel drift meanwhile. The agent's follow-up timer is one the test moves by hand,
 * so nothing depends on the machine's speed: until the test runs the follow-ups nothing repairs (the
 * anti-entropy interval is the default 30 s), and then they must.
 */
class OverlayFollowUpTest {
    private final MemoryClusterStore store = MemoryClusterStore.create();
    private final Netlib root = Netlib.open(new FakeKernel());
    private final List<Long> delays = new CopyOnWriteArrayList<>();
    private final List<Runnable> due = new CopyOnWriteArrayList<>();
    private OverlayAgent agent;
    @TempDir
    Path hostsRoot;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        store.close();
    }

    @Test
    void theReconcilesAnAdvertSchedulesRunAndRepairWhatChangedAfterIt() throws Exception {
        Netlib host = root.in(root.namespaces().create("h2"));
        host.dummy("eth0").up().create();
        host.addresses().add("eth0", "10.99.0.2/24");
        agent = OverlayAgent.builder(host, store, HostId.of("h2"), IpAddresses.parse("10.99.0.2")).hostsRoot(hostsRoot).recordDir(null)
                .followUpTimer((ms, task) -> {
                    delays.add(ms);
                    due.add(task);
                }).open();
        OverlayNetwork n = agent.createNetwork("my_olay", "10.0.0.0/24");
        Namespace web01 = root.namespaces().create("web01");
        agent.connect(n, web01, "eth0", "web01");
        assertThat(delays).as("an advert schedules two follow-ups").containsExactly(200L, 1000L);
        Path hostsFile = hostsRoot.resolve("web01/hosts");
        await("the advert's own reconcile wrote web01's name", () -> read(hostsFile).contains("10.0.0.2\tweb01"));
        await("the watch delivered the advert", () -> !agent.endpoints(n).isEmpty());
        Thread.sleep(100); // the watch marks its networks right after the view took the event
        agent.sync();

        // after the advert: the network layer rewrites the hosts file without the overlay's section,
        // and someone turns learning on on the tunnel port
        Files.writeString(hostsFile, "127.0.0.1\tlocalhost\n");
        host.link(n.vxlanName()).portLearning(true);
        Thread.sleep(300);
        agent.sync();
        assertThat(read(hostsFile)).as("nothing but a follow-up rewrites the section now").doesNotContain("web01");
        assertThat(host.link(n.vxlanName()).info().bridgePort().learning()).as("nothing but a follow-up repairs the port now").isTrue();

        due.forEach(Runnable::run);
        agent.sync();
        assertThat(host.link(n.vxlanName()).info().bridgePort().learning()).as("the follow-up's reconcile turned learning off again").isFalse();
        await("the follow-up's reconcile wrote the section again", () -> read(hostsFile).contains("10.0.0.2\tweb01"));
        assertThat(read(hostsFile)).as("the network layer's body kept").startsWith("127.0.0.1\tlocalhost\n");
    }

    @Test
    void theSchedulersTimerRunsEachFollowUpOnceOnTime() throws Exception {
        List<Set<String>> marks = new CopyOnWriteArrayList<>();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            FollowUps followUps = new FollowUps(FollowUps.Timer.of(scheduler), marks::add);
            long start = System.nanoTime();
            followUps.schedule("net");
            await("both follow-ups ran", () -> marks.size() == 2);
            assertThat((System.nanoTime() - start) / 1_000_000).as("not before the last delay").isGreaterThanOrEqualTo(1000);
            assertThat(marks).containsExactly(Set.of("net"), Set.of("net"));
            followUps.runNow();
            assertThat(marks).as("a follow-up runs once").hasSize(2);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void runNowRunsThePendingFollowUpsAndTheirTimerThenDoesNothing() {
        List<Set<String>> marks = new CopyOnWriteArrayList<>();
        List<Runnable> timed = new CopyOnWriteArrayList<>();
        FollowUps followUps = new FollowUps((ms, task) -> timed.add(task), marks::add);
        followUps.schedule("net");
        followUps.runNow();
        assertThat(marks).containsExactly(Set.of("net"), Set.of("net"));
        timed.forEach(Runnable::run);
        assertThat(marks).as("each ran once").hasSize(2);
    }
}
