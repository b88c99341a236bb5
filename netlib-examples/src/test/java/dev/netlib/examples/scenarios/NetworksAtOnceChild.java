package dev.netlib.examples.scenarios;

import dev.netlib.Netlib;
import dev.netlib.network.Networks;
import dev.netlib.testjvm.ChildJvm;
import java.nio.file.Path;

/**
 * One of the JVMs of {@link NetworksAtOnceKernelTest}: {@code ID STORE ETC PREFIX COUNT START_FLAG}.
 * Waits for the start flag, then creates COUNT networks of its own ({@code ID-n0}, {@code ID-n1},
 * ...) one after another, removing each even-numbered one once the next exists, so that
 * creations meet the other JVMs' creations and removals. Any exception ends the JVM with a
 * non-zero status; {@code DONE ID} is printed at the end.
 */
public final class NetworksAtOnceChild {
    private NetworksAtOnceChild() {}

    public static void main(String[] args) throws Exception {
        String id = args[0];
        int count = Integer.parseInt(args[4]);
        try (Netlib netlib = Netlib.open()) {
            Networks networks = ManyProcessesChild.openNetworks(netlib, args);
            ChildJvm.awaitStartFlag(Path.of(args[5]));
            for (int k = 0; k < count; k++) {
                networks.create(id + "-n" + k).create();
                if (k % 2 == 1) {
                    networks.remove(id + "-n" + (k - 1));
                }
            }
        }
        System.out.println("DONE " + id);
    }
}
