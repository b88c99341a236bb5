package dev.netlib.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import dev.netlib.model.LinkInfo;
import dev.netlib.nat.NatRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension judged from outside: sample test classes (nested, so surefire does not run them on
 * their own) are run through the JUnit engine and their outcomes checked. The samples that must
 * fail do so on purpose: they leak, or throw.
 */
class NetlibExtensionTest {
    /** Filled by the samples, read by the checks: what a sample saw from inside. */
    static final AtomicReference<String> SEEN = new AtomicReference<>();

    /** Set only while a sample runs: a sample picked up by a wider -Dtest pattern is skipped. */
    static final String SAMPLES = "netlib.test.samples";

    private static Events run(Class<?> sample) {
        System.setProperty(SAMPLES, "true");
        try {
            return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().testEvents();
        } finally {
            System.clearProperty(SAMPLES);
        }
    }

    private static Throwable failure(Events events) {
        List<Event> failed = events.failed().list();
        assertThat(failed).as("one failed test").hasSize(1);
        return failed.get(0).getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow();
    }

    private static String suppressed(Throwable t) {
        return String.join("\n", Arrays.stream(t.getSuppressed()).map(Throwable::getMessage).toList());
    }

    @NetlibTest
    @EnabledIfSystemProperty(named = SAMPLES, matches = "true")
    static class CleanFake {
        @Test
        void buildsAndRemoves(Netlib host, FakeKernel kernel) {
            host.bridge("br0").create();
            SEEN.set(host.backend().name() + " " + host.links().stream().map(LinkInfo::name).toList());
            host.link("br0").delete();
        }
    }

    @Test
    void aTestThatCleansUpPassesOnAFreshFakeKernel() {
        Events events = run(CleanFake.class);
        assertThat(events.succeeded().count()).as(events.list().toString()).isEqualTo(1);
        assertThat(SEEN.get()).isEqualTo("fake [lo, br0]");
    }

    @NetlibTest
    @EnabledIfSystemProperty(named = SAMPLES, matches = "true")
    static class LeakyFake {
        @Test
        void leaves(Netlib host) {
            host.bridge("nlleak0").create();
            host.namespaces().create("nlt-leak-sample");
            host.nat().add(NatRule.masquerade().source("10.9.0.0/24").notOutInterface("nlleak0").build());
        }
    }

    @Test
    void leftoversFailThePassingTestAndAreNamed() {
        Throwable t = failure(run(LeakyFake.class));
        assertThat(t.getMessage()).contains("the test left behind").contains("link nlleak0 (bridge)")
                .contains("namespace nlt-leak-sample").contains("nft rule in table ip netlib");
        assertThat(suppressed(t)).contains("# ip link").contains("nlleak0");
    }

    @NetlibTest
    @EnabledIfSystemProperty(named = SAMPLES, matches = "true")
    static class FailingFake {
        @Test
        void fails(Netlib host) {
            host.bridge("nlfail0").up().create().addAddress("10.7.0.1/24");
            throw new AssertionError("the sample's own failure");
        }
    }

    @Test
    void aFailedTestCarriesAnIpStyleDumpOfItsSandbox() {
        Throwable t = failure(run(FailingFake.class));
        assertThat(t.getMessage()).isEqualTo("the sample's own failure");
        String dump = suppressed(t);
        assertThat(dump).contains("netlib sandbox: the FakeKernel host").contains("# ip link").contains("nlfail0: <UP>")
                .contains("# ip address").contains("nlfail0 inet 10.7.0.1/24").contains("# ip route")
                .contains("10.7.0.0/24 dev nlfail0").contains("# ip neigh").contains("# bridge fdb")
                .contains("# nft list table ip netlib");
    }

    @NetlibTest
    @EnabledIfSystemProperty(named = SAMPLES, matches = "true")
    static class NoInjectionIntoConstructors {
        NoInjectionIntoConstructors(Netlib host) {}

        @Test
        void never() {}
    }

    @Test
    void aConstructorParameterIsRefusedWithTheReason() {
        Throwable t = failure(run(NoInjectionIntoConstructors.class));
        assertThat(t.getMessage()).contains("not into constructors");
    }

    @RealKernel
    @EnabledIfSystemProperty(named = SAMPLES, matches = "true")
    static class LeakyKernel {
        @Test
        void leaves(Netlib host) {
            SEEN.set(host.namespace().name().orElseThrow());
            host.bridge("nlleak1").create();
            Namespace ns = host.namespaces().create("nlt-leak-" + ProcessHandle.current().pid());
            assertThat(ns.name()).isPresent();
        }
    }

    @Test
    void onTheRealKernelLeftoversAreNamedAndRemoved() {
        Events events = run(LeakyKernel.class);
        if (!Privileges.canUseRealKernel()) {
            assertThat(events.skipped().list()).singleElement().extracting(e -> e.getRequiredPayload(String.class))
                    .asString().contains("@RealKernel test skipped: needs");
            return;
        }
        Throwable t = failure(events);
        String leaked = "nlt-leak-" + ProcessHandle.current().pid();
        assertThat(SEEN.get()).startsWith(Sandbox.PREFIX);
        assertThat(t.getMessage()).contains("namespace " + SEEN.get() + " on the real kernel")
                .contains("link nlleak1 (bridge)").contains("namespace " + leaked);
        assertThat(suppressed(t)).contains("nlleak1").contains("namespace " + leaked + " (made by the test)");
        assertThat(Files.exists(Path.of("/var/run/netns", leaked))).as("removed after the check").isFalse();
        assertThat(Files.exists(Path.of("/var/run/netns", SEEN.get()))).as("sandbox deleted").isFalse();
    }
}
