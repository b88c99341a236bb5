package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.network.ConcurrentChangeException;
import dev.netlib.network.Endpoint;
import dev.netlib.network.NetworkInUseException;
import dev.netlib.network.NetworkNotFoundException;
import dev.netlib.network.Networks;
import dev.netlib.testjvm.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One of the two JVMs of {@link NetworksAtOnceKernelTest}'s connect-beside-remove test:
 * {@code MODE STORE ETC PREFIX ROUNDS START_FLAG STOP_FLAG}.
 * <ul>
 *   <li>{@code remove}: ROUNDS times, creates network {@code race} and removes it again a moment
 *       later, retrying while a connect holds it; then creates the stop flag.</li>
 *   <li>{@code connect}: until the stop flag exists, connects container {@code box} to {@code race}
 *       and disconnects it again. A connect may lose to the removal (the network is gone or being
 *       removed); a disconnect must never fail: the network of a connected container cannot have
 *       been removed.</li>
 * </ul>
 * Any other exception ends the JVM with a non-zero status. Prints {@code DONE MODE WON LOST}.
 */
public final class ConnectBesideRemoveChild {
    private ConnectBesideRemoveChild() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String prefix = args[3];
        int rounds = Integer.parseInt(args[4]);
        Path stop = Path.of(args[6]);
        int won = 0;
        int lost = 0;
        try (Netlib netlib = Netlib.open()) {
            Networks networks = ManyProcessesChild.openNetworks(netlib, args);
            ChildJvm.awaitStartFlag(Path.of(args[5]));
            if (mode.equals("remove")) {
                for (int r = 0; r < rounds; r++) {
                    networks.create("race").create();
                    Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                    while (true) {
                        try {
                            networks.remove("race");
                            won++;
                            break;
                        } catch (NetworkInUseException | ConcurrentChangeException connectUnderWay) {
                            lost++;
                            Thread.sleep(1);
                        }
                    }
                }
                Files.createFile(stop);
            } else {
                try (Namespace box = netlib.namespaces().open(prefix + "box")) {
                    while (!Files.exists(stop)) {
                        Endpoint e;
                        try {
                            e = networks.connect("race", box);
                        } catch (NetworkNotFoundException gone) {
                            lost++;
                            continue;
                        }
                        won++;
                        networks.disconnect("race", e.container());
                    }
                }
            }
        }
        System.out.println("DONE " + mode + " " + won + " " + lost);
    }
}
