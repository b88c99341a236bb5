package dev.netlib.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.linux.testing.ThrowawayNetns;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Closing the {@code Netlib} that opened the Linux backend before a namespace it created: the
 * namespace is deleted with it (no /var/run/netns name left), its handle says closed, and closing
 * it afterwards is a no-op instead of a setns/EBADF error. FakeKernel is held to the same by
 * OperationContract.
 */
class CloseOrderKernelTest {
    @Test
    void closingNetlibFirstDeletesTheNamespacesItCreated() {
        ThrowawayNetns.assumeLinuxRoot();
        String name = ThrowawayNetns.uniqueName("nlk", "close");
        String anonymous;
        Namespace ns;
        Namespace anon;
        try {
            try (Netlib netlib = Netlib.open()) {
                ns = netlib.namespaces().create(name);
                netlib.in(ns).bridge("br0").up().create();
                anon = netlib.namespaces().createAnonymous();
                anonymous = "anon-" + anon.inode();
            }
            assertThat(Path.of("/var/run/netns", name)).as("the named namespace's mount").doesNotExist();
            assertThat(ns.isClosed()).isTrue();
            assertThat(anon.isClosed()).as(anonymous).isTrue();
            ns.close();
            anon.close();
        } finally {
            if (Files.exists(Path.of("/var/run/netns", name))) {
                ThrowawayNetns.run("ip", "netns", "del", name);
            }
        }
    }
}
