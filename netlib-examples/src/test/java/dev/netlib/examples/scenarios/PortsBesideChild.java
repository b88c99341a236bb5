package dev.netlib.examples.scenarios;

import dev.netlib.Netlib;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import dev.netlib.testjvm.ChildJvm;
import java.nio.file.Path;

/**
 * One of the JVMs of {@link NetworksAtOnceKernelTest}'s ports test: {@code ID STORE ETC PREFIX ROUNDS START_FLAG}.
 * Publishes and unpublishes ports of its own ({@code 20000 + 100 * ID + k}) on the endpoint of
 * container {@code shared} on network {@code n}, which every JVM changes at once: ROUNDS times it
 * publishes two ports and unpublishes the first again, so each JVM ends with ROUNDS ports published.
 * Any exception ends the JVM with a non-zero status; {@code DONE ID} is printed at the end.
 */
public final class PortsBesideChild {
    private PortsBesideChild() {}

    public static void main(String[] args) throws Exception {
        int id = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[4]);
        try (Netlib netlib = Netlib.open()) {
            Networks networks = ManyProcessesChild.openNetworks(netlib, args);
            ChildJvm.awaitStartFlag(Path.of(args[5]));
            for (int r = 0; r < rounds; r++) {
                int port = 20000 + 100 * id + 2 * r;
                Endpoint e = networks.findEndpoint("n", "shared").orElseThrow();
                e.publish(port + ":80");
                networks.findEndpoint("n", "shared").orElseThrow().publish((port + 1) + ":81");
                networks.findEndpoint("n", "shared").orElseThrow().unpublish(port + ":80");
            }
        }
        System.out.println("DONE " + id);
    }
}
