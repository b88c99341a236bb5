package dev.netlib.linux;

import static dev.netlib.model.LinkAttributes.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.linux.internal.netns.NlnSupport;
import dev.netlib.model.VethSpec;
import dev.netlib.spi.change.CreateLink;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Java sockets opened through {@code Namespace.run} live in that namespace: a TCP connection from
 * one namespace to another over a veth pair that netlib created (addresses set with iproute2,
 * which this test may use). Needs root.
 */
class NamespaceTrafficKernelTest {
    @Test
    void tcpBetweenTwoNamespacesThroughSocketsOpenedInside() throws Exception {
        NlnSupport.assumeRoot();
        assumeTrue(NlnSupport.haveIp(), "needs iproute2 to set addresses");
        long caller = NlnSupport.threadInode();
        String a = NlnSupport.uniqueName("tcpa");
        String b = NlnSupport.uniqueName("tcpb");
        try (Netlib host = Netlib.open();
                Namespace nsA = host.namespaces().create(a);
                Namespace nsB = host.namespaces().create(b)) {
            host.backend().apply(nsA.ref(), new CreateLink("va", NONE.withUp(true), new VethSpec("vb", NONE.withNetns(nsB.ref()).withUp(true))));
            NlnSupport.sh("ip", "-n", a, "addr", "add", "10.77.0.1/24", "dev", "va");
            NlnSupport.sh("ip", "-n", b, "addr", "add", "10.77.0.2/24", "dev", "vb");
            NlnSupport.sh("ip", "-n", a, "link", "set", "lo", "up");

            InetAddress addrA = InetAddress.getByName("10.77.0.1");
            try (ServerSocket server = nsA.run(() -> new ServerSocket(0, 1, addrA));
                    Socket client = nsB.run(() -> {
                        Socket s = new Socket();
                        s.connect(new InetSocketAddress(addrA, server.getLocalPort()), 5000);
                        return s;
                    });
                    Socket accepted = server.accept()) {
                assertThat(accepted.getInetAddress().getHostAddress()).isEqualTo("10.77.0.2");
                OutputStream out = client.getOutputStream();
                out.write("hello from B".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = accepted.getInputStream();
                byte[] buf = new byte[12];
                int n = 0;
                while (n < buf.length) {
                    int r = in.read(buf, n, buf.length - n);
                    assertThat(r).isPositive();
                    n += r;
                }
                assertThat(new String(buf, StandardCharsets.US_ASCII)).isEqualTo("hello from B");
            }
            // the address exists only inside A: binding it from the caller's namespace fails
            Exception outside = null;
            try (ServerSocket s = new ServerSocket(0, 1, addrA)) {
                // bound: 10.77.0.1 exists in the caller's namespace, which would be a test setup error
            } catch (java.net.BindException e) {
                outside = e;
            }
            assertThat(outside).as("10.77.0.1 must not be bindable outside A").isNotNull();
        }
        assertThat(NlnSupport.threadInode()).isEqualTo(caller);
        assertThat(NlnSupport.sh("ip", "netns", "list")).doesNotContain(a).doesNotContain(b);
    }
}
