package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.fake.FakeKernel;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.network.Networks;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario S2 (modes) on FakeKernel and on the real kernel, including joining by pid. */
class S2Test {
    @TempDir
    Path etc;

    static void check(S2Modes.Result r) {
        assertThat(r.noneLinks()).containsExactly("lo");
        assertThat(r.noneLoUp()).isTrue();
        assertThat(r.hostIsHost()).isTrue();
        assertThat(r.joinedByName()).isTrue();
        assertThat(r.joinedByNetns()).isTrue();
        assertThat(r.joinedLinks()).contains("lo", "eth0");
    }

    @Test
    void s2OnFakeKernel() {
        FakeKernel fake = new FakeKernel();
        try (Netlib root = Netlib.open(fake)) {
            check(S2Modes.run(root, false, etc, System.out));
            // by pid: a process registered in a namespace
            try (Namespace ns = root.namespaces().create("nlw-s2-pid")) {
                fake.registerProcess(4242, ns.ref());
                Networks networks = Networks.builder(root).store(new MemoryIpamStore()).etcNetns(etc).open();
                try (Namespace joined = networks.container("4242")) {
                    assertThat(joined.inode()).isEqualTo(ns.inode());
                }
                fake.unregisterProcess(4242);
            }
        }
    }

    @Test
    void s2OnTheRealKernelWithLoopbackTrafficAndJoinByPid() throws Exception {
        try (Netlib root = KernelAccess.openOrSkip("S2 kernel test")) {
            S2Modes.Result r = S2Modes.run(root, true, etc, System.out);
            check(r);
            assertThat(r.loopbackReply()).isEqualTo("box1");
            try (Namespace ns = root.namespaces().create("nlw-s2-pid-" + ProcessHandle.current().pid())) {
                Process sleeper = new ProcessBuilder("ip", "netns", "exec", ns.name().orElseThrow(), "sleep", "30").start();
                try {
                    Networks networks = Networks.builder(root).store(new MemoryIpamStore()).etcNetns(etc).open();
                    Namespace joined = null;
                    for (int i = 0; i < 50 && joined == null; i++) { // until ip netns exec has entered the namespace
                        try (Namespace candidate = networks.container(Long.toString(sleeper.pid()))) {
                            if (candidate.inode() == ns.inode()) {
                                joined = candidate;
                            }
                        }
                        Thread.sleep(20);
                    }
                    assertThat(joined).as("container:<pid of a process in the namespace>").isNotNull();
                } finally {
                    sleeper.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }
}
