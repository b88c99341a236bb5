package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.network.Endpoint;
import dev.netlib.network.Networks;
import dev.netlib.testjvm.ChildJvm;
import java.nio.file.Path;

/**
 * One of the JVMs of {@link NetworksAtOnceKernelTest}'s default-network test: {@code ID STORE ETC
 * PREFIX START_FLAG}. Connects container {@code box-ID} to the default network as soon as the start
 * flag exists (every JVM at once, on a host where the network does not exist yet) and prints
 * {@code DONE ID ADDRESS}. Any exception ends the JVM with a non-zero status.
 */
public final class DefaultNetworkChild {
    private DefaultNetworkChild() {}

    public static void main(String[] args) throws Exception {
        String id = args[0];
        String prefix = args[3];
        try (Netlib netlib = Netlib.open()) {
            Networks networks = ManyProcessesChild.openNetworks(netlib, args);
            try (Namespace box = netlib.namespaces().open(prefix + "box-" + id)) {
                ChildJvm.awaitStartFlag(Path.of(args[4]));
                Endpoint e = networks.connect("bridge", box);
                System.out.println("DONE " + id + " " + e.ip());
            }
        }
    }
}
