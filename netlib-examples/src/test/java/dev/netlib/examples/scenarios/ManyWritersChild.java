package dev.netlib.examples.scenarios;

import dev.netlib.Namespace;
import dev.netlib.Netlib;
import dev.netlib.network.Networks;
import dev.netlib.testjvm.ChildJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One of the JVMs of {@link NetworksAtOnceKernelTest}'s many-writers test: {@code SEED STORE ETC
 * PREFIX START_FLAG OPS}. Does OPS random steps ({@link ManyWritersSteps}) on the containers
 * {@code PREFIXc0} and {@code PREFIXc1} (made by the test), as the other JVMs do at the same
 * moment. An unexpected failure ends the JVM with status 2 after printing {@code UNEXPECTED ...};
 * prints {@code DONE OPS REFUSED}.
 */
public final class ManyWritersChild {
    static final List<String> CONTAINERS = List.of("c0", "c1");

    private ManyWritersChild() {}

    public static void main(String[] args) throws Exception {
        Random random = new Random(Long.parseLong(args[0]));
        int ops = Integer.parseInt(args[5]);
        List<String> unexpected = new ArrayList<>();
        int refused = 0;
        try (Netlib netlib = Netlib.open()) {
            Networks networks = ManyProcessesChild.openNetworks(netlib, args);
            List<Namespace> boxes = new ArrayList<>();
            for (String c : CONTAINERS) {
                boxes.add(netlib.namespaces().open(args[3] + c));
            }
            ChildJvm.awaitStartFlag(Path.of(args[4]));
            for (int op = 0; op < ops; op++) {
                try {
                    if (ManyWritersSteps.step(networks, boxes, random) == ManyWritersSteps.Outcome.REFUSED) {
                        refused++;
                    }
                } catch (ManyWritersSteps.Unexpected e) {
                    unexpected.add("op " + op + ": " + e.getMessage());
                }
            }
            boxes.forEach(Namespace::close);
        }
        unexpected.forEach(u -> System.out.println("UNEXPECTED " + u));
        System.out.println("DONE " + ops + " " + refused);
        System.out.flush();
        System.exit(unexpected.isEmpty() ? 0 : 2);
    }
}
