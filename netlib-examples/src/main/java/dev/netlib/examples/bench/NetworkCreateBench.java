package dev.netlib.examples.bench;

import dev.netlib.Netlib;
import dev.netlib.examples.scenarios.Sandbox;
import dev.netlib.ipam.FileIpamStore;
import dev.netlib.network.Networks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What creating and removing one bridge network costs beside P others: P networks made first, then
 * R rounds of creating one more and removing it again, each timed in-process. A creation adds the
 * isolation pairs with the P bridges and reads the networks again after writing them; a removal
 * reads netlib's table for its pairs and deletes its bridge. Prints the medians of the rounds after
 * the first fifth (the JIT's). Runs in a throwaway host namespace with a file store under a
 * temporary directory, both removed at the end; needs root.
 *
 * <p>Usage: {@code NetworkCreateBench [P] [R]} (default 30 60).
 */
public final class NetworkCreateBench {
    private NetworkCreateBench() {}

    public static void main(String[] args) throws Exception {
        int present = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        if (present < 0 || present > 250 || rounds < 5) {
            throw new IllegalArgumentException("P must be 0 to 250 (one /24 each in 10.60.0.0/16) and R at least 5");
        }
        Path tmp = Files.createTempDirectory("nl-network-bench-");
        try (Netlib root = Netlib.open(); Sandbox sandbox = new Sandbox(root, "ncb", tmp.resolve("etc"))) {
            Netlib host = root.in(sandbox.namespace("host"));
            Networks networks = Networks.builder(host).store(FileIpamStore.open(tmp.resolve("store"))).etcNetns(tmp.resolve("etc")).open();
            for (int i = 0; i < present; i++) {
                networks.create("p" + i).subnet("10.60." + i + ".0/24").create();
            }
            long[] create = new long[rounds];
            long[] remove = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                networks.create("x").subnet("10.61.0.0/24").create();
                long t1 = System.nanoTime();
                networks.remove("x");
                create[i] = t1 - t0;
                remove[i] = System.nanoTime() - t1;
            }
            for (int i = 0; i < present; i++) {
                networks.remove("p" + i);
            }
            int from = rounds / 5;
            System.out.println(String.format(Locale.ROOT, "network-bench: %d networks present, %d rounds; create median %.2f ms, remove median %.2f ms",
                    present, rounds, ConnectBench.medianOf(create, from, rounds), ConnectBench.medianOf(remove, from, rounds)));
        } finally {
            FileTrees.deleteTree(tmp);
        }
    }
}
