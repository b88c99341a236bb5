package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.network.Networks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a connect and a deleteContainer cost on the real kernel (printed), and that N of them leave nothing behind. */
class ConnectCostKernelTest {
    @TempDir
    Path etc;

    @Test
    void connectAndDeleteContainersInABatch() {
        int n = 40;
        try (Netlib root = KernelAccess.openOrSkip("connect cost kernel test");
             Sandbox sandbox = new Sandbox(root, "cc", etc)) {
            Netlib host = root.in(sandbox.namespace("host"));
            Networks networks = Networks.builder(host).store(new MemoryIpamStore()).etcNetns(etc).open();
            networks.create("bench").subnet("10.88.0.0/24").create();
            List<Namespace> boxes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boxes.add(sandbox.namespace("c" + i));
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                networks.endpoint("bench", boxes.get(i)).name("c" + i).connect();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                networks.deleteContainer("c" + i, boxes.get(i));
            }
            long t2 = System.nanoTime();
            System.out.println(String.format(Locale.ROOT, "network layer on the real kernel: connect %.2f ms, deleteContainer %.2f ms (mean of %d)",
                    (t1 - t0) / 1e6 / n, (t2 - t1) / 1e6 / n, n));
            String bridge = networks.network("bench").config().device();
            // deleting a namespace is asynchronous in the kernel (cleanup_net runs from a workqueue):
            // the host ends go within a moment, not at once
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (host.links().stream().anyMatch(l -> bridge.equals(l.masterName())) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(host.links().stream().filter(l -> bridge.equals(l.masterName()))).isEmpty();
            assertThat(networks.endpoints("bench")).isEmpty();
            assertThat(networks.reconcile(false).isClean()).isTrue();
        }
    }
}
