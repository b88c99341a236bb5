package dev.netlib.examples.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.ipam.MemoryIpamStore;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The network's shared hosts file as programs in a container see it: {@code ip netns exec}
 * bind-mounts the container's /etc/netns/NS/hosts (a hard link to the network's file) over
 * /etc/hosts, and a program started before a peer joined resolves the peer once the connect
 * returns, because the shared file is edited in place (same inode) and glibc reads /etc/hosts on
 * each lookup. Uses the machine's /etc/netns (where {@code ip netns exec} looks), with unique
 * namespace names; the sandbox removes what it made.
 */
class SharedHostsFileKernelTest {
    @Test
    void aProgramAlreadyRunningInAContainerResolvesAPeerThatJoinsLater() throws Exception {
        Path etc = Path.of("/etc/netns");
        try (Netlib root = KernelAccess.openOrSkip("shared hosts file kernel test"); Sandbox sandbox = new Sandbox(root, "hf", etc)) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/getent")), "getent (libc-bin) is needed to look names up inside the container");
            Networks networks = Networks.builder(root.in(sandbox.namespace("host"))).store(new MemoryIpamStore()).etcNetns(etc).open();
            networks.create("names").subnet("10.66.0.0/24").create();
            Namespace box1 = sandbox.namespace("box1");
            String peer = sandbox.name("box2"); // the container's name is its namespace's
            networks.connect("names", box1);
            // the program: one lookup now (the peer is not there yet), then one every 100 ms until it resolves
            // (files only: a DNS server the namespace cannot reach would only add timeouts)
            Process p = new ProcessBuilder("ip", "netns", "exec", sandbox.name("box1"), "sh", "-c",
                    "getent -s files hosts " + peer + " || echo absent; until getent -s files hosts " + peer + "; do sleep 0.1; done")
                    .redirectErrorStream(true).start();
            try {
                Thread.sleep(500); // it has started and looked once
                Endpoint e2 = networks.connect("names", sandbox.namespace("box2"));
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("the running program resolved the new peer").isTrue();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(out).startsWith("absent\n").contains(e2.ip() + " ").contains(peer);
            } finally {
                p.destroyForcibly();
            }
            Path box1Hosts = etc.resolve(sandbox.name("box1")).resolve("hosts");
            Path box2Hosts = etc.resolve(sandbox.name("box2")).resolve("hosts");
            assertThat(Files.isSameFile(box1Hosts, box2Hosts)).as("one file, shared by the network's containers").isTrue();
            assertThat(Files.getAttribute(box1Hosts, "unix:nlink")).isEqualTo(3);
        }
    }
}
