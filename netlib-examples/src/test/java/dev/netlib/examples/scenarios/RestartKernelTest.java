package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.FileIpamStore;
import dev.netlib.model.LinkInfo;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import dev.netlib.network.ReconcileReport;
import dev.netlib.testjvm.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State survives the JVM: a child JVM defines a network and an endpoint; this JVM reopens them from
 * the file store, connects more and proves it with TCP; then a child JVM dies between its kernel
 * changes and its store write, and reconcile() removes what it left.
 */
class RestartKernelTest {
    @TempDir
    Path tmp;

    @Test
    void secondJvmReopensAndReconcileCleansUpAfterACrash() throws Exception {
        try (Netlib root = KernelAccess.openOrSkip("restart kernel test");
             Sandbox sandbox = new Sandbox(root, "rs", tmp.resolve("etc"));
             TcpProbe probe = new TcpProbe()) {
            Namespace hostNs = sandbox.namespace("host");
            Namespace box1 = sandbox.namespace("box1");
            Namespace box2 = sandbox.namespace("box2");
            Namespace box3 = sandbox.namespace("box3");
            String prefix = sandbox.name("");
            Path store = tmp.resolve("store");
            Path etc = tmp.resolve("etc");

            assertThat(child("create", store, etc, prefix)).isZero();

            Networks networks = Networks.builder(root.in(hostNs)).store(FileIpamStore.open(store)).etcNetns(etc).open();
            assertThat(networks.network("restart_net").config().subnet()).hasToString("10.55.0.0/24");
            Endpoint e1 = networks.findEndpoint("restart_net", "box1").orElseThrow();
            assertThat(e1.ip()).isEqualTo("10.55.0.2");
            Endpoint e2 = networks.endpoint("restart_net", box2).name("box2").connect();
            assertThat(e2.ip()).isEqualTo("10.55.0.3");
            probe.serve(box1, "box1");
            assertThat(TcpProbe.probe(box2, e1.address(), 1000)).isEqualTo("box1");
            assertThat(networks.reconcile(false).isClean()).isTrue();

            assertThat(child("crash", store, etc, prefix)).isEqualTo(3);
            String bridge = networks.network("restart_net").config().device();
            List<String> ports = root.in(hostNs).links().stream().filter(l -> bridge.equals(l.masterName())).map(LinkInfo::name).toList();
            assertThat(ports).hasSize(3); // the dead JVM's veth is still on the bridge
            assertThat(root.in(box3).findLink("eth0")).isPresent();

            ReconcileReport seen = networks.reconcile(false);
            System.out.println("after the crash:\n" + seen);
            assertThat(seen.findings()).anyMatch(f -> f.problem().contains("rolling it back"));
            networks.reconcile(true);
            assertThat(root.in(box3).findLink("eth0")).isEmpty();
            assertThat(root.in(hostNs).links().stream().filter(l -> bridge.equals(l.masterName())).count()).isEqualTo(2);
            assertThat(networks.reconcile(false).isClean()).isTrue();
            // the address the dead JVM had taken is free again; the next one is handed out
            assertThat(networks.endpoint("restart_net", box3).name("box3").connect().ip()).isEqualTo("10.55.0.5");
        }
    }

    private int child(String mode, Path store, Path etc, String prefix) throws Exception {
        Process p = ChildJvm.builder(List.of(), RestartChild.class, mode, store.toString(), etc.toString(), prefix).inheritIO().start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM (" + mode + ") did not finish");
        }
        return p.exitValue();
    }
}
